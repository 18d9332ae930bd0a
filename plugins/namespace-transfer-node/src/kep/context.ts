import type { KubeConfig } from '@kubernetes/client-node';
import type { KepCaches } from './informers';
import type { Status } from './status';
import type {
  ApprovalStatus,
  KepHooks,
  NamespaceTransferApproval,
  NamespaceTransferRequest,
} from './types';
import type { WorkQueue } from './workqueue';

/** What the controller does with a status writer (StatusWriter's one operation). */
export interface StatusUpdater<S, T> {
  update(
    namespace: string,
    name: string,
    change: (s: S, o: T) => S,
  ): Promise<T | undefined>;
}

/** What reconciling a request needs from the controller that runs it. */
export interface KepContext {
  kubeConfig: KubeConfig;
  cluster: string;
  allowTransferDefault?: boolean;
  hooks: KepHooks;
  log: (message: string) => void;
  caches: KepCaches;
  queue: WorkQueue;
  requests: StatusUpdater<Status, NamespaceTransferRequest>;
  approvals: StatusUpdater<ApprovalStatus, NamespaceTransferApproval>;
  maxAttempts: number;
  /** whether this replica may act (always, without leader election) */
  isLeader(): boolean;
  /** aborted when this replica stops leading: every run is handed over at once */
  handOver(): AbortSignal;
  /** aborted by stop(): runs before their point of no return stop and are left to resume */
  stopping: AbortSignal;
  /** the earliest time a request waiting out a retry's backoff may run again (key → epoch ms) */
  retryAt: Map<string, number>;
}

export const keyOf = (namespace: string, name: string) =>
  `${namespace}/${name}`;

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
