import { getEventListeners } from 'node:events';
import { ApiException } from '@kubernetes/client-node';
import {
  ClusterUnreachableError,
  currentRetryPolicy,
  describeFailure,
  INTERACTIVE_POLICY,
  isTransient,
  parseDuration,
  retryAfterMs,
  retryOnConflict,
  runningTransferPolicy,
  withRetry,
  withRetryPolicy,
  type OutageEvent,
  type RetryPolicy,
} from '.';

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

describe('retry policies', () => {
  const SERVER = 'https://127.1.0.1:6443';
  const refused = () =>
    Object.assign(
      new Error(
        `request to ${SERVER}/api/v1/namespaces/a/pods failed, reason: connect ECONNREFUSED 127.1.0.1:6443`,
      ),
      { type: 'system', code: 'ECONNREFUSED' },
    );
  /** a clock that only moves when the retry sleeps */
  const fakeTime = () => {
    const clock = { t: 1_000_000, slept: [] as number[] };
    return {
      clock,
      now: () => clock.t,
      sleep: async (ms: number) => {
        clock.slept.push(ms);
        clock.t += ms;
      },
    };
  };

  it('interactive: a cluster that does not answer is reported within seconds, naming its server', async () => {
    const { clock, now, sleep } = fakeTime();
    let tries = 0;
    const err = await withRetry(
      async () => {
        tries++;
        throw refused();
      },
      { now, sleep },
    ).catch(e => e);
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    expect(err.cluster).toBe(SERVER);
    // what the portal reports from it: an unreachable cluster, with the connection's code
    expect(describeFailure(err)).toMatchObject({
      kind: 'unreachable',
      code: 'ECONNREFUSED',
    });
    expect(err.message).toMatch(/interactive budget 10s/);
    expect(tries).toBe(6);
    expect(clock.t - 1_000_000).toBeLessThan(10_000);
    // the portal's own tighter attempts and cap still apply
    tries = 0;
    clock.slept = [];
    await expect(
      withRetry(
        async () => {
          tries++;
          throw refused();
        },
        { now, sleep, attempts: 3, maxMs: 150, random: () => 1 },
      ),
    ).rejects.toBeInstanceOf(ClusterUnreachableError);
    expect(tries).toBe(3);
    expect(clock.slept).toEqual([150, 150]);
  });

  it('running transfer: waits out an outage within its budget, reporting the cluster once each way', async () => {
    const { clock, now, sleep } = fakeTime();
    const events: OutageEvent[] = [];
    const policy = runningTransferPolicy({
      budgetMs: 60_000,
      clusters: { [`${SERVER}/`]: 'east' },
      onOutage: e => events.push(e),
    });
    const backAt = clock.t + 45_000;
    let tries = 0;
    const value = await withRetry(
      async () => {
        tries++;
        if (clock.t < backAt) throw refused();
        return 'answered';
      },
      { now, sleep, policy },
    );
    expect(value).toBe('answered');
    expect(tries).toBeGreaterThan(6); // not a bare attempt count
    expect(Math.max(...clock.slept)).toBeLessThanOrEqual(5_000);
    expect(events).toEqual([
      {
        state: 'unreachable',
        cluster: 'east',
        since: new Date(1_000_000).toISOString(),
        error: expect.stringContaining('ECONNREFUSED'),
      },
      {
        state: 'reachable',
        cluster: 'east',
        since: new Date(1_000_000).toISOString(),
      },
    ]);
  });

  it('running transfer: gives up when the budget runs out, and a call that starts late gets only what is left', async () => {
    const { clock, now, sleep } = fakeTime();
    const policy = runningTransferPolicy({ budgetMs: 30_000 });
    const start = clock.t;
    const first = await withRetry(
      async () => {
        throw refused();
      },
      { now, sleep, policy },
    ).catch(e => e);
    expect(first).toBeInstanceOf(ClusterUnreachableError);
    expect(first.message).toMatch(/running-transfer budget 30s/);
    // the last try comes when the budget ends, not a backoff later
    expect(clock.t - start).toBe(30_000);
    // a call of the same transfer during the same outage does not get a fresh 30 s
    clock.t += 1_000;
    let tries = 0;
    await expect(
      withRetry(
        async () => {
          tries++;
          throw refused();
        },
        { now, sleep, policy },
      ),
    ).rejects.toBeInstanceOf(ClusterUnreachableError);
    expect(tries).toBe(1);
    // much later it is another outage, with a budget of its own
    clock.t += 60_000;
    tries = 0;
    await expect(
      withRetry(
        async () => {
          if (++tries < 3) throw refused();
        },
        { now, sleep, policy },
      ),
    ).resolves.toBeUndefined();
  });

  it('running transfer: answers are never waited out as an outage; 5xx keep their attempts, also after one', async () => {
    const { now, sleep } = fakeTime();
    const policy = runningTransferPolicy();
    for (const code of [401, 403, 404, 409, 422]) {
      let tries = 0;
      await expect(
        withRetry(
          async () => {
            tries++;
            throw api(code);
          },
          { now, sleep, policy },
        ),
      ).rejects.toThrow(`HTTP ${code}`);
      expect(tries).toBe(1);
    }
    let tries = 0;
    await expect(
      withRetry(
        async () => {
          tries++;
          throw api(500);
        },
        { now, sleep, policy },
      ),
    ).rejects.toThrow('HTTP 500');
    expect(tries).toBe(6);
    // a server just back answers 503 for a while: those get their own attempts after 20 refusals
    tries = 0;
    const answered = await withRetry(
      async () => {
        tries++;
        if (tries <= 20) throw refused();
        if (tries <= 24) throw api(503);
        return 'ok';
      },
      { now, sleep, policy, random: () => 0 },
    );
    expect(answered).toBe('ok');
    // a certificate that does not verify is no outage either
    tries = 0;
    await expect(
      withRetry(
        async () => {
          tries++;
          throw sys('CERT_HAS_EXPIRED');
        },
        { now, sleep, policy },
      ),
    ).rejects.toThrow('CERT_HAS_EXPIRED');
    expect(tries).toBe(1);
  });

  it('the policy is the caller’s: calls made inside withRetryPolicy (timers included) wait by it', async () => {
    const policy = runningTransferPolicy({ budgetMs: 1234 });
    expect(currentRetryPolicy()).toBe(INTERACTIVE_POLICY);
    const seen = await withRetryPolicy(
      policy,
      () =>
        new Promise<RetryPolicy>(resolve =>
          setTimeout(() => resolve(currentRetryPolicy()), 1),
        ),
    );
    expect(seen).toBe(policy);
    expect(currentRetryPolicy()).toBe(INTERACTIVE_POLICY);
    // and withRetry inside it gives up by that budget, not by attempts
    const { clock, now, sleep } = fakeTime();
    let tries = 0;
    const err = await withRetryPolicy(policy, () =>
      withRetry(
        async () => {
          tries++;
          throw refused();
        },
        { now, sleep, attempts: 2 },
      ),
    ).catch(e => e);
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    expect(clock.t - 1_000_000).toBe(1234);
    expect(tries).toBeGreaterThan(2);
  });

  it('reads durations for the budget flag', () => {
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1500ms')).toBe(1500);
    expect(parseDuration('20')).toBe(20_000);
    expect(() => parseDuration('5 minutes')).toThrow('not a duration');
    expect(() => parseDuration('-1s')).toThrow('not a duration');
    expect(() => runningTransferPolicy({ budgetMs: -1 })).toThrow('>= 0');
  });
});
