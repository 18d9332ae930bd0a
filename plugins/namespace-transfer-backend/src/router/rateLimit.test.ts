import { RateLimiter } from './rateLimit';

describe('RateLimiter', () => {
  it('lets a caller make `burst` requests at once, then one per refill, saying when', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, perMinute: 6, now: () => now });
    expect([1, 2, 3].map(() => limiter.take('user:default/alice'))).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: true },
    ]);
    // 6 per minute: one every 10 s
    expect(limiter.take('user:default/alice')).toEqual({
      allowed: false,
      retryAfterSeconds: 10,
    });
    now = 4_000;
    expect(limiter.take('user:default/alice')).toEqual({
      allowed: false,
      retryAfterSeconds: 6,
    });
    now = 10_000;
    expect(limiter.take('user:default/alice').allowed).toBe(true);
    expect(limiter.take('user:default/alice').allowed).toBe(false);
    // another caller has a bucket of their own
    expect(limiter.take('user:default/bob').allowed).toBe(true);
    // a long pause fills the bucket, never beyond burst
    now = 10_000_000;
    expect(
      [1, 2, 3, 4].map(() => limiter.take('user:default/alice').allowed),
    ).toEqual([true, true, true, false]);
  });

  it('remembers a bounded number of callers, forgetting full buckets first', () => {
    let now = 0;
    const limiter = new RateLimiter({
      burst: 2,
      perMinute: 60,
      maxCallers: 3,
      now: () => now,
    });
    limiter.take('a');
    limiter.take('b');
    now = 5_000; // a and b are full again
    limiter.take('c');
    limiter.take('c');
    limiter.take('d');
    expect(limiter.size).toBeLessThanOrEqual(3);
    // c is still limited: its bucket was kept
    expect(limiter.take('c').allowed).toBe(false);
  });

  it('refuses a limit that would let nothing through', () => {
    expect(() => new RateLimiter({ burst: 0, perMinute: 60 })).toThrow(/burst/);
    expect(() => new RateLimiter({ burst: 1, perMinute: 0 })).toThrow(
      /perMinute/,
    );
  });
});
