import type { KubeConfig } from '@kubernetes/client-node';
import type { ApprovalStatusWriter } from './approvalStatus';
import type { KepCaches } from './informers';
import type { RequestStatusWriter } from './status';
import type { KepHooks } from './types';
import type { WorkQueue } from './workqueue';

/** What reconciling a request needs from the controller that runs it. */
export interface KepContext {
  kubeConfig: KubeConfig;
  cluster: string;
  allowTransferDefault?: boolean;
  hooks: KepHooks;
  log: (message: string) => void;
  caches: KepCaches;
  queue: WorkQueue;
  requests: RequestStatusWriter;
  approvals: ApprovalStatusWriter;
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
