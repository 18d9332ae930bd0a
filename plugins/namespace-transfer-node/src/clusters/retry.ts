/**
 * Retries for calls to the Kubernetes API: transient failures (429, 5xx) back off exponentially with full
 * jitter and honour Retry-After; 409 Conflict is retried only around a whole read-modify-write, so every
 * attempt works on a fresh object. A cluster that does not answer at all (refused, reset, timed out) is
 * waited for as long as the caller's policy allows (see ./policy): seconds for a person, minutes for a
 * running transfer.
 */
import {
  describeFailure,
  isConflict,
  isTransient,
  retryAfterMs,
} from './errors';
import {
  ClusterUnreachableError,
  currentRetryPolicy,
  outageTracker,
  type RetryPolicy,
} from './policy';

/** @public */
export interface RetryOptions {
  /** tries for a transient answer (429, 5xx); with the interactive policy, for a missing one too */
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  signal?: AbortSignal;
  /** how long to wait for a cluster that does not answer (default: the caller's, see withRetryPolicy) */
  policy?: RetryPolicy;
  /** injectable for tests */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRetry?: (info: {
    attempt: number;
    delayMs: number;
    error: unknown;
  }) => void;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    // the listener goes when the sleep ends, so that one signal shared by many calls does not collect them
    let timer: NodeJS.Timeout | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** No answer at all: the API server may be restarting, not refusing this call. A certificate is no outage. */
function isOutage(error: unknown): boolean {
  const f = describeFailure(error);
  return f.kind !== 'http' && f.kind !== 'tls' && f.transient;
}

async function retrying<T>(
  fn: (attempt: number) => Promise<T>,
  retryable: (e: unknown) => boolean,
  opts: RetryOptions,
): Promise<T> {
  const attempts = opts.attempts ?? 6;
  const base = opts.baseMs ?? 200;
  const max = opts.maxMs ?? 10_000;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => defaultSleep(ms, opts.signal));
  const policy = opts.policy ?? currentRetryPolicy();
  const tracker = outageTracker(policy);
  let answeredWrong = 0;
  let waitingFor: string | undefined;
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      const value = await fn(attempt);
      if (waitingFor) tracker.answered(waitingFor);
      return value;
    } catch (error) {
      // an inner call already waited out the whole budget: waiting again would double it
      if (error instanceof ClusterUnreachableError) throw error;
      let delayMs: number;
      if (isOutage(error)) {
        const outage = tracker.unreachable(error, now());
        waitingFor = outage.key;
        const left = policy.outageBudgetMs - (now() - outage.since);
        const outOfTries = policy.outageCountsAttempts && attempt >= attempts;
        if (left <= 0 || outOfTries)
          throw new ClusterUnreachableError(
            outage.cluster,
            outage.since,
            policy,
            error,
          );
        // the caller's own cap (a portal's short one) holds too
        const backoff = Math.min(
          policy.outageMaxDelayMs,
          max,
          base * 2 ** (attempt - 1),
        );
        // never past the budget: the last try comes when it ends, not a backoff later
        delayMs = Math.min(left, Math.round(random() * backoff));
      } else {
        answeredWrong++;
        if (answeredWrong >= attempts || !retryable(error)) throw error;
        // full jitter spreads retries of many clients; the server's own hint wins when it gave one
        const backoff = Math.min(max, base * 2 ** (attempt - 1));
        delayMs = retryAfterMs(error) ?? Math.round(random() * backoff);
      }
      opts.onRetry?.({ attempt, delayMs, error });
      await sleep(Math.min(delayMs, Math.max(max, 60_000)));
    }
  }
}

/**
 * Retries a single API call on transient failures.
 *
 * @public
 */
export function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  return retrying(fn, isTransient, opts);
}

/**
 * Retries a read-modify-write (GET, change, PUT with the read resourceVersion) on 409 Conflict and on
 * transient failures. `fn` must re-read the object each time.
 *
 * @public
 */
export function retryOnConflict<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  return retrying(fn, e => isConflict(e) || isTransient(e), {
    attempts: 10,
    baseMs: 50,
    maxMs: 2000,
    ...opts,
  });
}
