/**
 * How long a caller waits for a cluster that does not answer at all. A person reading a page wants to know
 * in seconds that a cluster is down; a running transfer outlives a control-plane upgrade or an HA failover
 * (the API server away for a minute) because its movers are pods that keep moving meanwhile. So the policy
 * is the caller's: a transfer runs its steps inside `withRetryPolicy(runningTransferPolicy(...))`, and every
 * call to a cluster under it (however deep, through `withRetry`) waits by that policy; everything else
 * (plan, the portal, the CLI's reads) gets the interactive one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { readableError } from './errors';

/** @public */
export const DEFAULT_OUTAGE_BUDGET_MS = 5 * 60_000;

/** @public */
export interface OutageEvent {
  /** `unreachable` once when a cluster stops answering, `reachable` once when it answers again */
  state: 'unreachable' | 'reachable';
  /** the cluster's name when the policy knows it, else its API server's address */
  cluster: string;
  /** ISO time the cluster was first found not answering */
  since: string;
  /** what the connection said (unreachable) */
  error?: string;
}

/** @public */
export interface RetryPolicy {
  readonly name: 'interactive' | 'running-transfer';
  /** how long a call keeps trying a cluster that has not answered at all */
  readonly outageBudgetMs: number;
  /** whether the attempt count also ends that wait (someone is waiting for the answer) */
  readonly outageCountsAttempts: boolean;
  /** the longest pause between two tries while waiting */
  readonly outageMaxDelayMs: number;
  /** names the cluster behind an API server address (`https://host:port`) */
  readonly clusterOf?: (server: string) => string | undefined;
  /** told when a cluster stops answering and when it answers again */
  readonly onOutage?: (e: OutageEvent) => void;
}

/**
 * A page or a plan: a cluster that does not answer is reported within seconds.
 *
 * @public
 */
export const INTERACTIVE_POLICY: RetryPolicy = Object.freeze({
  name: 'interactive',
  outageBudgetMs: 10_000,
  outageCountsAttempts: true,
  outageMaxDelayMs: 2_000,
});

/**
 * A transfer under way: a cluster that stops answering is waited for up to `budgetMs` (default 5 min),
 * trying again at most every 5 s, before the call gives up with a ClusterUnreachableError.
 *
 * @public
 */
export function runningTransferPolicy(
  o: {
    budgetMs?: number;
    /** API server address (`https://host:port`, as in the kubeconfig) to the cluster's name */
    clusters?: Record<string, string>;
    onOutage?: (e: OutageEvent) => void;
  } = {},
): RetryPolicy {
  const budget = o.budgetMs ?? DEFAULT_OUTAGE_BUDGET_MS;
  if (!Number.isFinite(budget) || budget < 0)
    throw new Error(`the outage budget must be >= 0 ms, got ${budget}`);
  const names = new Map(
    Object.entries(o.clusters ?? {}).map(([url, name]) => [
      originOf(url),
      name,
    ]),
  );
  return {
    name: 'running-transfer',
    outageBudgetMs: budget,
    outageCountsAttempts: false,
    outageMaxDelayMs: 5_000,
    clusterOf: server => names.get(server),
    onOutage: o.onOutage,
  };
}

const ambient = new AsyncLocalStorage<RetryPolicy>();

/**
 * Runs `fn` with every retried cluster call inside it (timers and callbacks too) waiting by `policy`.
 *
 * @public
 */
export function withRetryPolicy<T>(policy: RetryPolicy, fn: () => T): T {
  return ambient.run(policy, fn);
}

/**
 * The policy of the caller that is running: the interactive one unless a flow chose another.
 *
 * @public
 */
export function currentRetryPolicy(): RetryPolicy {
  return ambient.getStore() ?? INTERACTIVE_POLICY;
}

/**
 * A call gave up on a cluster that did not answer for longer than its policy's budget.
 *
 * @public
 */
export class ClusterUnreachableError extends Error {
  readonly cluster: string;
  readonly since: Date;
  readonly budgetMs: number;

  constructor(
    cluster: string,
    since: number,
    policy: RetryPolicy,
    readonly lastError: unknown,
  ) {
    const waited = Math.round((Date.now() - since) / 1000);
    super(
      `cluster ${cluster} did not answer for ${waited}s (since ${new Date(since).toISOString()}; ${policy.name} budget ${formatDuration(policy.outageBudgetMs)}): ${readableError(lastError)}`,
      // describeFailure looks through it: callers still see an unreachable cluster and its code
      { cause: lastError },
    );
    this.name = 'ClusterUnreachableError';
    this.cluster = cluster;
    this.since = new Date(since);
    this.budgetMs = policy.outageBudgetMs;
  }
}

/** @public */
export function isClusterUnreachable(e: unknown): e is ClusterUnreachableError {
  return e instanceof ClusterUnreachableError;
}

/**
 * `5m`, `90s`, `1h30m`, `1500ms` or a number of seconds, for flags and config.
 *
 * @public
 */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const unit: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map(p => p[0]).join('') !== t)
    throw new Error(
      `"${text}" is not a duration: use e.g. 90s, 5m, 1h30m or a number of seconds`,
    );
  return Math.round(
    parts.reduce((ms, [, n, u]) => ms + Number(n) * unit[u], 0),
  );
}

/** @public */
export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * The API server a failed request went to, from the client's message (`request to https://h:p/... failed`).
 *
 * @public
 */
export function failedServer(error: unknown): string | undefined {
  for (
    let e = error as { message?: unknown; cause?: unknown } | undefined,
      depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    const m =
      typeof e.message === 'string'
        ? /\b(https?:\/\/[^/\s'"]+)/.exec(e.message)
        : null;
    if (m) return originOf(m[1]);
  }
  return undefined;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

interface Outage {
  cluster: string;
  since: number;
  lastFailureAt: number;
}

/**
 * One outage per cluster, shared by the calls of one policy: a call that starts while the cluster is away
 * waits out what is left of the budget, not a budget of its own, and the cluster is reported once.
 *
 * @public
 */
export class OutageTracker {
  private readonly outages = new Map<string, Outage>();

  constructor(private readonly policy: RetryPolicy) {}

  /** Records a failed connection; returns the outage it belongs to (new, or the one going on). */
  unreachable(
    error: unknown,
    at: number,
  ): { key: string; cluster: string; since: number } {
    const server = failedServer(error);
    const key = server ?? 'the cluster';
    const known = this.outages.get(key);
    // a failure long after the last one is a new outage: whoever saw the old one end may not have said so
    const stale =
      known &&
      at - known.lastFailureAt > 2 * this.policy.outageMaxDelayMs + 10_000;
    if (known && !stale) {
      known.lastFailureAt = at;
      return { key, cluster: known.cluster, since: known.since };
    }
    const cluster =
      (server && this.policy.clusterOf?.(server)) ?? server ?? 'the cluster';
    this.outages.set(key, { cluster, since: at, lastFailureAt: at });
    this.policy.onOutage?.({
      state: 'unreachable',
      cluster,
      since: new Date(at).toISOString(),
      error: readableError(error),
    });
    return { key, cluster, since: at };
  }

  /** A call that had failed to reach the cluster got an answer: the outage is over. */
  answered(key: string): void {
    const known = this.outages.get(key);
    if (!known) return;
    this.outages.delete(key);
    this.policy.onOutage?.({
      state: 'reachable',
      cluster: known.cluster,
      since: new Date(known.since).toISOString(),
    });
  }
}

const trackers = new WeakMap<RetryPolicy, OutageTracker>();

/** @public */
export function outageTracker(policy: RetryPolicy): OutageTracker {
  let t = trackers.get(policy);
  if (!t) trackers.set(policy, (t = new OutageTracker(policy)));
  return t;
}
