/**
 * Retries for calls to the Kubernetes API: transient failures (429, 5xx, timeouts, dropped connections)
 * back off exponentially with full jitter and honour Retry-After; 409 Conflict is retried only around a
 * whole read-modify-write, so every attempt works on a fresh object.
 */
import { isConflict, isTransient, retryAfterMs } from './errors';

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  signal?: AbortSignal;
  /** injectable for tests */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
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

async function retrying<T>(
  fn: (attempt: number) => Promise<T>,
  retryable: (e: unknown) => boolean,
  opts: RetryOptions,
): Promise<T> {
  const attempts = opts.attempts ?? 6;
  const base = opts.baseMs ?? 200;
  const max = opts.maxMs ?? 10_000;
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? ((ms: number) => defaultSleep(ms, opts.signal));
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      // full jitter spreads retries of many clients; the server's own hint wins when it gave one
      const backoff = Math.min(max, base * 2 ** (attempt - 1));
      const delayMs = retryAfterMs(error) ?? Math.round(random() * backoff);
      opts.onRetry?.({ attempt, delayMs, error });
      await sleep(Math.min(delayMs, Math.max(max, 60_000)));
    }
  }
}

/** Retries a single API call on transient failures. */
export function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  return retrying(fn, isTransient, opts);
}

/**
 * Retries a read-modify-write (GET, change, PUT with the read resourceVersion) on 409 Conflict and on
 * transient failures. `fn` must re-read the object each time.
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
