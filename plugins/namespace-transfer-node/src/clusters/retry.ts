/**
 * Retries for calls to the Kubernetes API: transient failures (429, 5xx, timeouts, dropped connections)
 * back off exponentially with full jitter and honour Retry-After; 409 Conflict is retried only around a
 * whole read-modify-write, so every attempt works on a fresh object.
 */

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

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

interface ErrorLike {
  code?: number | string;
  statusCode?: number;
  headers?: Record<string, string | undefined>;
  cause?: unknown;
  type?: string;
  name?: string;
  message?: string;
}

/** HTTP status of a client-node ApiException (or a similar error), if any. */
export function httpStatus(error: unknown): number | undefined {
  const e = error as ErrorLike | undefined;
  if (!e || typeof e !== 'object') return undefined;
  if (typeof e.code === 'number') return e.code;
  if (typeof e.statusCode === 'number') return e.statusCode;
  return undefined;
}

function networkCode(error: unknown, depth = 0): string | undefined {
  const e = error as ErrorLike | undefined;
  if (!e || typeof e !== 'object' || depth > 3) return undefined;
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return e.code;
  if (e.name === 'AbortError' && e.type !== 'aborted') return undefined;
  if (e.type === 'request-timeout' || e.name === 'TimeoutError')
    return 'ETIMEDOUT';
  // node-fetch wraps socket errors as FetchError { type: 'system', code }
  if (e.type === 'system' && typeof e.code === 'string') return e.code;
  return networkCode(e.cause, depth + 1);
}

export function isTransient(error: unknown): boolean {
  const status = httpStatus(error);
  if (status !== undefined)
    return status === 429 || status === 408 || status >= 500;
  return networkCode(error) !== undefined;
}

export function isConflict(error: unknown): boolean {
  return httpStatus(error) === 409;
}

/** Retry-After in milliseconds (seconds or an HTTP date), if the server sent one. */
export function retryAfterMs(
  error: unknown,
  now = Date.now(),
): number | undefined {
  const headers = (error as ErrorLike | undefined)?.headers;
  if (!headers) return undefined;
  const value = headers['retry-after'] ?? headers['Retry-After'];
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
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
