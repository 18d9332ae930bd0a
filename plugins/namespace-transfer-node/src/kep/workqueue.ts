/**
 * A rate-limited work queue with client-go's semantics (util/workqueue): a key names the object to
 * reconcile, not a change, so a key that is waiting collapses with a new add, a key is never processed by
 * two workers at once, and a key added while it is processed is processed once more afterwards (the worker
 * may have read the object before the change that added it).
 */
import { readableError } from '../clusters';

/** @public */
export interface WorkQueueOptions {
  /** keys processed at once, at most */
  concurrency: number;
  /** reconciles one key; an error is logged, the caller decides on a retry (addRateLimited) */
  process: (key: string) => Promise<void>;
  /** the first retry's delay (default 1000 ms), doubled with each failure */
  baseDelayMs?: number;
  /** the longest retry delay (default 60000 ms) */
  maxDelayMs?: number;
  /** share of a retry delay taken off at random (default 0.1), so retries of many keys spread out */
  jitter?: number;
  log?: (message: string) => void;
}

interface Delayed {
  readyAt: number;
  timer: NodeJS.Timeout;
}

/** @public */
export class WorkQueue {
  private readonly queue: string[] = [];
  /** keys that need processing: waiting in the queue, or added again while being processed */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly delayed = new Map<string, Delayed>();
  private readonly failureCounts = new Map<string, number>();
  private readonly idle: Array<() => void> = [];
  private shuttingDown = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly jitter: number;

  constructor(private readonly o: WorkQueueOptions) {
    if (!Number.isInteger(o.concurrency) || o.concurrency < 1)
      throw new Error(
        `WorkQueue: concurrency must be a whole number of at least 1, not ${o.concurrency}`,
      );
    this.baseDelayMs = o.baseDelayMs ?? 1000;
    this.maxDelayMs = o.maxDelayMs ?? 60_000;
    this.jitter = o.jitter ?? 0.1;
    if (this.baseDelayMs <= 0 || this.maxDelayMs < this.baseDelayMs)
      throw new Error(
        `WorkQueue: need 0 < baseDelayMs <= maxDelayMs, not ${this.baseDelayMs} and ${this.maxDelayMs}`,
      );
    if (this.jitter < 0 || this.jitter >= 1)
      throw new Error(
        `WorkQueue: jitter must be in [0, 1), not ${this.jitter}`,
      );
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    // a key being processed goes back into the queue when its worker is done (done())
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.pump();
  }

  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const readyAt = Date.now() + delayMs;
    const waiting = this.delayed.get(key);
    // as client-go's delaying queue: one entry per key, the earliest wins
    if (waiting && waiting.readyAt <= readyAt) return;
    if (waiting) clearTimeout(waiting.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.delayed.set(key, { readyAt, timer });
  }

  /** Queues the key after its backoff and counts a failure; returns the delay used. */
  addRateLimited(key: string): number {
    const delay = this.backoff(key);
    this.failureCounts.set(key, this.failures(key) + 1);
    this.addAfter(key, delay);
    return delay;
  }

  forget(key: string): void {
    this.failureCounts.delete(key);
  }

  failures(key: string): number {
    return this.failureCounts.get(key) ?? 0;
  }

  /** Takes no more work, drops what waits (queued or delayed) and resolves once nothing is processing. */
  async shutDown(): Promise<void> {
    this.shuttingDown = true;
    for (const d of this.delayed.values()) clearTimeout(d.timer);
    this.delayed.clear();
    this.queue.length = 0;
    this.dirty.clear();
    if (this.processing.size === 0) return;
    await new Promise<void>(resolve => this.idle.push(resolve));
  }

  /**
   * base·2^failures capped at maxDelayMs, less up to `jitter` of it: the cap stays a bound, and keys that
   * failed together do not all come back at the same moment.
   */
  private backoff(key: string): number {
    const exponential = this.baseDelayMs * 2 ** this.failures(key);
    const capped = Math.min(exponential, this.maxDelayMs);
    return Math.round(capped * (1 - this.jitter * Math.random()));
  }

  private pump(): void {
    while (this.processing.size < this.o.concurrency && this.queue.length > 0) {
      const key = this.queue.shift()!;
      this.dirty.delete(key);
      this.processing.add(key);
      void this.work(key);
    }
  }

  private async work(key: string): Promise<void> {
    try {
      // a microtask first: process() never runs inside the caller's add()
      await Promise.resolve();
      await this.o.process(key);
    } catch (e) {
      this.o.log?.(`processing ${key} failed: ${readableError(e)}`);
    } finally {
      this.done(key);
    }
  }

  private done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.queue.push(key);
    if (this.shuttingDown && this.processing.size === 0) {
      for (const resolve of this.idle.splice(0)) resolve();
    }
    this.pump();
  }
}
