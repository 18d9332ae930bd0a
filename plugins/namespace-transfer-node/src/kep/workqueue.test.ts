import { WorkQueue } from './workqueue';

interface Gate {
  key: string;
  release: () => void;
  fail: (e: Error) => void;
}

/**
 * A process() whose calls stay in flight until the test releases them, recording what ran and the most
 * keys (and the most calls of one key) in flight at once.
 */
function recorder() {
  const started: string[] = [];
  const open: Gate[] = [];
  const inFlight = new Map<string, number>();
  let total = 0;
  let maxTotal = 0;
  let maxPerKey = 0;
  let waiter: { n: number; resolve: () => void } | undefined;
  const process = (key: string) =>
    new Promise<void>((resolve, reject) => {
      started.push(key);
      total += 1;
      maxTotal = Math.max(maxTotal, total);
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
      maxPerKey = Math.max(maxPerKey, inFlight.get(key)!);
      const end = () => {
        total -= 1;
        inFlight.set(key, inFlight.get(key)! - 1);
      };
      open.push({
        key,
        release: () => {
          end();
          resolve();
        },
        fail: e => {
          end();
          reject(e);
        },
      });
      if (waiter && open.length >= waiter.n) waiter.resolve();
    });
  return {
    process,
    started,
    stats: () => ({ maxTotal, maxPerKey }),
    /** resolves once at least n calls are in flight */
    inFlight: (n: number) =>
      open.length >= n
        ? Promise.resolve()
        : new Promise<void>(resolve => {
            waiter = { n, resolve };
          }),
    /** ends the oldest call in flight for key (or the oldest of all) */
    release(key?: string) {
      const i = key ? open.findIndex(g => g.key === key) : 0;
      if (i < 0) throw new Error(`${key} is not in flight`);
      const [g] = open.splice(i, 1);
      g.release();
      return g;
    },
    fail(key: string, e: Error) {
      const i = open.findIndex(g => g.key === key);
      const [g] = open.splice(i, 1);
      g.fail(e);
    },
    openKeys: () => open.map(g => g.key),
  };
}

/** lets every pending promise callback run (process() starts in a microtask) */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise(r => setImmediate(r));
};

describe('WorkQueue', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('collapses duplicates of a key that waits', async () => {
    const r = recorder();
    const q = new WorkQueue({ concurrency: 1, process: r.process });
    q.add('busy');
    await r.inFlight(1);
    q.add('a');
    q.add('a');
    q.add('b');
    q.add('a');
    r.release('busy');
    await r.inFlight(1);
    r.release('a');
    await r.inFlight(1);
    r.release('b');
    await settle();
    expect(r.started).toEqual(['busy', 'a', 'b']);
  });

  it('never processes a key in two workers, and processes it once more when added while in flight', async () => {
    const r = recorder();
    const q = new WorkQueue({ concurrency: 4, process: r.process });
    q.add('a');
    await r.inFlight(1);
    q.add('a');
    q.add('a');
    await settle();
    // four workers are free, yet the second 'a' waits for the first
    expect(r.openKeys()).toEqual(['a']);
    r.release('a');
    await r.inFlight(1);
    r.release('a');
    await settle();
    expect(r.started).toEqual(['a', 'a']);
    expect(r.stats().maxPerKey).toBe(1);
  });

  it('runs at most `concurrency` keys at once and all of them in the end', async () => {
    const r = recorder();
    const q = new WorkQueue({ concurrency: 3, process: r.process });
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    keys.forEach(k => q.add(k));
    await r.inFlight(3);
    await settle();
    expect(r.openKeys()).toHaveLength(3);
    while (r.started.length < keys.length || r.openKeys().length > 0) {
      r.release();
      await settle();
    }
    expect(r.started.sort()).toEqual([...keys].sort());
    expect(r.stats().maxTotal).toBe(3);
  });

  it('logs a failed process() and goes on with the other keys', async () => {
    const r = recorder();
    const logs: string[] = [];
    const q = new WorkQueue({
      concurrency: 1,
      process: r.process,
      log: m => logs.push(m),
    });
    q.add('bad');
    q.add('good');
    await r.inFlight(1);
    r.fail('bad', new Error('boom'));
    await r.inFlight(1);
    r.release('good');
    await settle();
    expect(r.started).toEqual(['bad', 'good']);
    expect(logs).toEqual(['processing bad failed: boom']);
  });

  it('survives a process() that throws before returning a promise', async () => {
    const logs: string[] = [];
    const seen: string[] = [];
    const q = new WorkQueue({
      concurrency: 1,
      process: key => {
        seen.push(key);
        if (key === 'bad') throw new Error('sync boom');
        return Promise.resolve();
      },
      log: m => logs.push(m),
    });
    q.add('bad');
    q.add('good');
    await settle();
    expect(seen).toEqual(['bad', 'good']);
    expect(logs).toEqual(['processing bad failed: sync boom']);
  });

  it('backs off exponentially per key up to the cap, jitter only taking off up to its share', () => {
    const q = new WorkQueue({
      concurrency: 1,
      process: async () => {},
      baseDelayMs: 100,
      maxDelayMs: 1000,
      jitter: 0.1,
    });
    const random = jest.spyOn(Math, 'random').mockReturnValue(0);
    const full = Array.from({ length: 6 }, () => q.addRateLimited('a'));
    expect(full).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(q.failures('a')).toBe(6);
    // another key has its own count
    expect(q.addRateLimited('b')).toBe(100);
    random.mockReturnValue(0.999999);
    expect(q.addRateLimited('b')).toBe(180);
    expect(q.addRateLimited('a')).toBe(900);
    random.mockRestore();
    for (let i = 0; i < 200; i++) {
      const d = q.addRateLimited('a');
      expect(d).toBeGreaterThanOrEqual(900);
      expect(d).toBeLessThanOrEqual(1000);
    }
    void q.shutDown();
  });

  it('uses the defaults 1 s, 60 s and 10 % jitter', () => {
    const q = new WorkQueue({ concurrency: 1, process: async () => {} });
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const delays = Array.from({ length: 8 }, () => q.addRateLimited('a'));
    expect(delays).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000,
    ]);
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(q.addRateLimited('a')).toBe(57000);
    void q.shutDown();
  });

  it('forget resets the backoff', () => {
    const q = new WorkQueue({
      concurrency: 1,
      process: async () => {},
      baseDelayMs: 50,
      jitter: 0,
    });
    q.addRateLimited('a');
    q.addRateLimited('a');
    expect(q.addRateLimited('a')).toBe(200);
    q.forget('a');
    expect(q.failures('a')).toBe(0);
    expect(q.addRateLimited('a')).toBe(50);
    void q.shutDown();
  });

  it('addAfter queues the key when its delay has passed, the earliest of several waits winning', async () => {
    jest.useFakeTimers();
    const seen: string[] = [];
    const q = new WorkQueue({
      concurrency: 2,
      process: async k => {
        seen.push(`${k}@${Date.now()}`);
      },
    });
    const t0 = Date.now();
    q.addAfter('a', 500);
    q.addAfter('a', 200);
    q.addAfter('a', 900);
    q.addAfter('b', 300);
    await jest.advanceTimersByTimeAsync(199);
    expect(seen).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(seen).toEqual([`a@${t0 + 200}`]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(seen).toEqual([`a@${t0 + 200}`, `b@${t0 + 300}`]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('addRateLimited queues the key after the delay it returned', async () => {
    jest.useFakeTimers();
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const seen: number[] = [];
    const q = new WorkQueue({
      concurrency: 1,
      process: async () => {
        seen.push(Date.now());
      },
      baseDelayMs: 100,
    });
    const t0 = Date.now();
    expect(q.addRateLimited('a')).toBe(100);
    await jest.advanceTimersByTimeAsync(99);
    expect(seen).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(seen).toEqual([t0 + 100]);
  });

  it('shutDown waits for the keys in flight, drops waiting and delayed ones and leaves no timer', async () => {
    jest.useFakeTimers();
    const r = recorder();
    const q = new WorkQueue({ concurrency: 1, process: r.process });
    q.add('a');
    await jest.advanceTimersByTimeAsync(0);
    expect(r.openKeys()).toEqual(['a']);
    q.add('b');
    q.add('a');
    q.addAfter('c', 100);
    q.addRateLimited('d');
    expect(jest.getTimerCount()).toBe(2);
    let down = false;
    const shut = q.shutDown().then(() => {
      down = true;
    });
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(0);
    expect(down).toBe(false);
    q.add('e');
    r.release('a');
    await shut;
    await jest.advanceTimersByTimeAsync(120_000);
    expect(r.started).toEqual(['a']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('shutDown of an idle queue resolves at once', async () => {
    const q = new WorkQueue({ concurrency: 2, process: async () => {} });
    await expect(q.shutDown()).resolves.toBeUndefined();
  });

  it('refuses options that cannot work', () => {
    const process = async () => {};
    expect(() => new WorkQueue({ concurrency: 0, process })).toThrow(
      /concurrency must be a whole number of at least 1, not 0/,
    );
    expect(
      () =>
        new WorkQueue({
          concurrency: 1,
          process,
          baseDelayMs: 10,
          maxDelayMs: 5,
        }),
    ).toThrow(/baseDelayMs <= maxDelayMs/);
    expect(() => new WorkQueue({ concurrency: 1, process, jitter: 1 })).toThrow(
      /jitter must be in \[0, 1\)/,
    );
  });
});
