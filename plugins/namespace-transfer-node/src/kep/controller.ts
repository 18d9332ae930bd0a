import type { KubeConfig } from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isTransientFailure } from './outcome';
import { ApprovalStatusWriter } from './approvalStatus';
import { keyOf, type KepContext } from './context';
import { watchKepObjects } from './informers';
import { startLeaderElection, type LeaderElection } from './leaderElection';
import { reconcileRequest } from './reconcile';
import { RequestStatusWriter } from './status';
import { KEP_GROUP, type KepHooks } from './types';
import { WorkQueue } from './workqueue';

/** @public */
export interface KepControllerOptions {
  kubeConfig: KubeConfig;
  /** the name the engine uses for this cluster in transfer specs */
  clusterName?: string;
  allowTransferDefault?: boolean;
  /** delay before a watch that failed (dropped, 410 Gone, server away) is started again with a fresh list */
  restartDelayMs?: number;
  log?: (message: string) => void;
  /** a host's callbacks on the transfers this controller runs */
  hooks?: KepHooks;
  /** absent: no election, this replica acts at once (run one replica only) */
  leaderElection?: {
    namespace: string;
    /** the Lease's name (default 'namespace-transfer-kep') */
    name?: string;
    /** this replica's name in the Lease (default host name, pid and a random suffix) */
    identity?: string;
    leaseDurationMs?: number;
    renewDeadlineMs?: number;
    retryPeriodMs?: number;
  };
  /** transient failures (429, 5xx, a cluster away) are retried with backoff up to maxAttempts runs */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** requests reconciled at once (default 4) */
  concurrency?: number;
  /**
   * How long stop() waits for runs past their point of no return to finish (default 60 s; a run may wait
   * minutes for a claim to go or to bind). Then they are handed over as on a lost Lease: each stops at its
   * next step or wait, puts nothing back and leaves its checkpoint for whoever leads next, and stop() returns.
   */
  stopTimeoutMs?: number;
}

/** @public */
export interface KepController {
  /** resolves once requests, approvals and claims were listed */
  ready: Promise<void>;
  /** whether this replica holds the Lease (always true without leader election) */
  isLeader(): boolean;
  /**
   * Stops: runs before their point of no return stop and are left to resume (nothing is written), runs past
   * it finish, or are handed over after stopTimeoutMs; then the Lease is released, so another replica
   * takes over at once.
   */
  stop(): Promise<void>;
}

/** @public */
export const DEFAULT_LEASE_NAME = 'namespace-transfer-kep';

/**
 * Runs the KEP as an operator: watches NamespaceTransferRequests, NamespaceTransferApprovals and claims in
 * all namespaces, and reconciles each request through a rate-limited work queue: a rebind once a matching
 * approval exists, retried with backoff after a transient failure, its progress in the request's status.
 * With leader election only the replica holding the Lease acts; the checkpoint in status lets whoever acts
 * next resume a run.
 *
 * @public
 */
export function startKepController(o: KepControllerOptions): KepController {
  const log = o.log ?? (() => undefined);
  const stopping = new AbortController();
  let leading = !o.leaderElection;
  let term = new AbortController();
  // assigned below: the queue, the caches and the context refer to each other
  let ctx: KepContext | undefined = undefined;
  const queue = new WorkQueue({
    concurrency: o.concurrency ?? 4,
    baseDelayMs: o.retry?.baseDelayMs,
    maxDelayMs: o.retry?.maxDelayMs,
    log,
    process: key =>
      reconcileRequest(ctx!, key).catch(e => {
        // a failure around the run (reading the request, writing a status): the key comes back later
        if (!isTransientFailure(e) || !leading || stopping.signal.aborted)
          throw e;
        const delayMs = queue.addRateLimited(key);
        log(`reconciling ${key} failed, again in ${delayMs} ms: ${String(e)}`);
      }),
  });
  const enqueue = (namespace: string, name: string) => {
    if (leading && !stopping.signal.aborted) queue.add(keyOf(namespace, name));
  };
  const caches = watchKepObjects(
    o.kubeConfig,
    {
      request: r => enqueue(r.metadata.namespace, r.metadata.name),
      // added, changed or deleted: the requests for that claim decide again
      approval: a => {
        for (const r of caches.requests())
          if (
            r.spec.source.namespace === a.metadata.namespace &&
            r.spec.source.name === a.spec.source.name
          )
            enqueue(r.metadata.namespace, r.metadata.name);
      },
      claim: c => {
        const ref = c.spec?.dataSourceRef;
        if (
          ref?.apiGroup === KEP_GROUP &&
          ref.kind === 'NamespaceTransferRequest' &&
          c.metadata?.namespace
        )
          enqueue(c.metadata.namespace, ref.name);
      },
    },
    { restartDelayMs: o.restartDelayMs, log },
  );
  const enqueueAll = () => {
    for (const r of caches.requests())
      enqueue(r.metadata.namespace, r.metadata.name);
  };
  ctx = {
    kubeConfig: o.kubeConfig,
    cluster: o.clusterName ?? 'local',
    allowTransferDefault: o.allowTransferDefault,
    hooks: o.hooks ?? {},
    log,
    caches,
    queue,
    requests: new RequestStatusWriter(o.kubeConfig),
    approvals: new ApprovalStatusWriter(o.kubeConfig),
    maxAttempts: o.retry?.maxAttempts ?? 5,
    isLeader: () => leading,
    handOver: () => term.signal,
    stopping: stopping.signal,
    retryAt: new Map(),
  };
  const election = o.leaderElection
    ? elect(o, log, {
        started: lost => {
          // this term's own: a late abort of an old term must not end a newer one
          const mine = new AbortController();
          term = mine;
          leading = true;
          lost.addEventListener('abort', () => {
            if (term === mine) leading = false;
            mine.abort(new Error('leadership lost: handed over'));
          });
          caches.ready.then(enqueueAll, () => undefined);
        },
      })
    : undefined;
  if (!election) log('no leader election: this replica acts on every request');
  caches.ready.then(enqueueAll, () => undefined);
  return {
    ready: caches.ready,
    isLeader: () => leading,
    async stop() {
      stopping.abort(new Error('the controller is stopping'));
      const drained = queue.shutDown();
      if (await outlasts(drained, o.stopTimeoutMs ?? 60_000)) {
        log(
          `stopping: runs past their point of no return still going after ${o.stopTimeoutMs ?? 60_000} ms, handed over to whoever leads next`,
        );
        leading = false;
        term.abort(new Error('the controller stopped: handed over'));
        await drained;
      }
      await election?.stop();
      leading = false;
      await caches.stop();
    },
  };
}

/** Whether `work` is still going after `ms` (it is not waited for). */
async function outlasts(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>(resolve => {
    timer = setTimeout(() => resolve(true), ms);
  });
  try {
    return await Promise.race([work.then(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

function elect(
  o: KepControllerOptions,
  log: (m: string) => void,
  on: { started: (lost: AbortSignal) => void },
): LeaderElection {
  const e = o.leaderElection!;
  const identity =
    e.identity ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  return startLeaderElection({
    kubeConfig: o.kubeConfig,
    namespace: e.namespace,
    name: e.name ?? DEFAULT_LEASE_NAME,
    identity,
    leaseDurationMs: e.leaseDurationMs,
    renewDeadlineMs: e.renewDeadlineMs,
    retryPeriodMs: e.retryPeriodMs,
    onStartedLeading: on.started,
    log,
  });
}
