import { getEventListeners } from 'node:events';
import { ApiException } from '@kubernetes/client-node';
import { isTransient, retryAfterMs, retryOnConflict, withRetry } from '.';

const api = (code: number, headers: Record<string, string> = {}) =>
  new ApiException(code, `HTTP ${code}`, {}, headers);
const sys = (code: string) => Object.assign(new Error(code), { code });

describe('classification', () => {
  it('retries 429, 408, 5xx and dropped or timed-out connections, not other 4xx', () => {
    expect([429, 408, 500, 503, 504].every(c => isTransient(api(c)))).toBe(
      true,
    );
    expect([400, 403, 404, 409, 422].some(c => isTransient(api(c)))).toBe(
      false,
    );
    expect(isTransient(sys('ECONNRESET'))).toBe(true);
    expect(
      isTransient(
        new TypeError('fetch failed', { cause: sys('UND_ERR_SOCKET') }),
      ),
    ).toBe(true);
    expect(
      isTransient(
        Object.assign(new Error('x'), { type: 'system', code: 'ECONNREFUSED' }),
      ),
    ).toBe(true);
    expect(isTransient(new Error('bug'))).toBe(false);
  });
  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs(api(429, { 'retry-after': '3' }))).toBe(3000);
    expect(
      retryAfterMs(
        api(503, { 'retry-after': new Date(10_000).toUTCString() }),
        4000,
      ),
    ).toBe(6000);
    expect(retryAfterMs(api(503))).toBeUndefined();
  });
});

describe('withRetry', () => {
  it('backs off with jitter, honours Retry-After, and gives up after the attempts', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls === 1) throw api(503);
        if (calls === 2) throw api(429, { 'retry-after': '2' });
        if (calls === 3) throw sys('ETIMEDOUT');
        return 'ok';
      },
      {
        sleep: async ms => void delays.push(ms),
        random: () => 0.5,
        baseMs: 100,
      },
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([50, 2000, 200]);

    let n = 0;
    await expect(
      withRetry(
        async () => {
          n++;
          throw api(500);
        },
        { attempts: 3, sleep: async () => undefined },
      ),
    ).rejects.toThrow('HTTP 500');
    expect(n).toBe(3);
    await expect(
      withRetry(
        async () => {
          throw api(404);
        },
        { sleep: async () => undefined },
      ),
    ).rejects.toThrow('HTTP 404');
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('cancelled'));
    await expect(
      withRetry(async () => 'x', { signal: ac.signal }),
    ).rejects.toThrow('cancelled');
  });

  it('leaves no listener on a signal it slept with, and stops sleeping when it fires', async () => {
    const ac = new AbortController();
    let calls = 0;
    await withRetry(
      async () => {
        if (++calls < 4) throw api(503);
        return 'ok';
      },
      { signal: ac.signal, baseMs: 1, maxMs: 1 },
    );
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);

    const started = Date.now();
    const pending = withRetry(
      async () => {
        throw api(503);
      },
      { signal: ac.signal, baseMs: 60_000, maxMs: 60_000, random: () => 1 },
    );
    setTimeout(() => ac.abort(new Error('deadline')), 10);
    await expect(pending).rejects.toThrow('deadline');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('retryOnConflict', () => {
  it('re-runs the whole read-modify-write on 409', async () => {
    let version = 1;
    const seen: number[] = [];
    await retryOnConflict(
      async () => {
        const read = version; // fresh GET each attempt
        seen.push(read);
        if (read < 3) {
          version++; // someone else wrote in between
          throw api(409);
        }
      },
      { sleep: async () => undefined },
    );
    expect(seen).toEqual([1, 2, 3]);
    // plain withRetry does not retry conflicts: the caller's object would be stale
    await expect(
      withRetry(
        async () => {
          throw api(409);
        },
        { sleep: async () => undefined },
      ),
    ).rejects.toThrow('HTTP 409');
  });
});
