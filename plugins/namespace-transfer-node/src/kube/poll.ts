import { setTimeout as delay } from 'node:timers/promises';

export class WaitTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  /** describes what never happened, for the timeout message */
  what: string;
}

export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (e) {
    // surface the caller's reason (e.g. "cancelled by the user"), not a generic AbortError
    if (signal?.aborted) throw signal.reason;
    throw e;
  }
}

/** Calls `check` until it returns a value; throws a timeout that says what never happened. */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  opts: PollOptions,
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    opts.signal?.throwIfAborted();
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline)
      throw new WaitTimeoutError(
        `timed out after ${Math.round(opts.timeoutMs / 1000)}s waiting for ${opts.what}`,
      );
    await sleep(opts.intervalMs ?? 500, opts.signal);
  }
}
