/**
 * A token bucket per caller, in memory: each caller may make `burst` requests at once and `perMinute`
 * on average. Written small here rather than taken from express-rate-limit, which is not a dependency of
 * this package; its only state is one small record per caller seen recently.
 */
export interface RateLimitOptions {
  /** requests a caller may make at once (the bucket's size) */
  burst: number;
  /** requests a caller may make per minute, on average (the bucket's refill) */
  perMinute: number;
  /** callers remembered at most; full buckets are forgotten first, then the least recently seen */
  maxCallers?: number;
  /** injectable for tests */
  now?: () => number;
}

export type RateLimitDecision =
  { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly now: () => number;
  private readonly maxCallers: number;

  constructor(private readonly options: RateLimitOptions) {
    if (!(options.burst >= 1) || !(options.perMinute > 0)) {
      throw new Error(
        `rate limit needs burst >= 1 and perMinute > 0 (got burst ${options.burst}, perMinute ${options.perMinute})`,
      );
    }
    this.perMs = options.perMinute / 60_000;
    this.now = options.now ?? Date.now;
    this.maxCallers = options.maxCallers ?? 10_000;
  }

  /** Takes one request from the caller's bucket, or says how long until it may ask again. */
  take(caller: string): RateLimitDecision {
    const now = this.now();
    const { burst } = this.options;
    const bucket = this.buckets.get(caller);
    const tokens = bucket
      ? Math.min(burst, bucket.tokens + (now - bucket.at) * this.perMs)
      : burst;
    // re-inserted so that the map's order is least recently seen first
    this.buckets.delete(caller);
    if (tokens >= 1) {
      this.buckets.set(caller, { tokens: tokens - 1, at: now });
      this.evict(now);
      return { allowed: true };
    }
    this.buckets.set(caller, { tokens, at: now });
    return {
      allowed: false,
      retryAfterSeconds: Math.max(
        1,
        Math.ceil((1 - tokens) / this.perMs / 1000),
      ),
    };
  }

  /** How many callers are remembered (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  private evict(now: number) {
    if (this.buckets.size <= this.maxCallers) return;
    for (const [caller, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.options.burst)
        this.buckets.delete(caller);
    }
    for (const caller of this.buckets.keys()) {
      if (this.buckets.size <= this.maxCallers) break;
      this.buckets.delete(caller);
    }
  }
}
