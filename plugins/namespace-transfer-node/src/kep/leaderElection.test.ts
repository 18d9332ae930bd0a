import {
  V1MicroTime,
  type KubeConfig,
  type V1Lease,
} from '@kubernetes/client-node';
import {
  decide,
  expiresAt,
  firstRecord,
  observe,
  recordOf,
  releasedRecord,
  startLeaderElection,
  timingOf,
  type LeaderElection,
  type LeaderElectionOptions,
  type LeaseRecord,
} from './leaderElection';

const T0 = Date.parse('2026-12-05T10:00:00.000Z');
const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

const held = (holder: string, extra: Partial<LeaseRecord> = {}) => ({
  holderIdentity: holder,
  leaseDurationSeconds: 15,
  acquireTime: '2026-12-05T09:00:00.000000Z',
  renewTime: '2026-12-05T09:59:59.000000Z',
  leaseTransitions: 3,
  ...extra,
});

describe('observe', () => {
  it('keeps the time it first saw a record while the record stays the same', () => {
    const first = observe(undefined, held('a'), T0);
    expect(first.at).toBe(T0);
    expect(observe(first, held('a'), T0 + 5000)).toBe(first);
  });

  it('starts the clock again when any field of the record changed', () => {
    const first = observe(undefined, held('a'), T0);
    const renewed = held('a', { renewTime: '2026-12-05T10:00:02.000000Z' });
    expect(observe(first, renewed, T0 + 5000).at).toBe(T0 + 5000);
    expect(
      observe(first, held('a', { leaseDurationSeconds: 1 }), T0 + 7000).at,
    ).toBe(T0 + 7000);
  });
});

describe('decide', () => {
  it('waits while another holder is within its lease as seen by this replica', () => {
    const o = observe(undefined, held('other'), T0);
    expect(decide(o, T0 + 14_999, 'me', 15)).toEqual({
      action: 'wait',
      holder: 'other',
      expiresAt: T0 + 15_000,
    });
  });

  it("judges expiry from its own observation, not the holder's renewTime", () => {
    // renewTime says an hour ago (the holder's clock is off), but this replica saw it change just now
    const stale = held('other', { renewTime: '2026-12-05T09:00:00.000000Z' });
    const o = observe(undefined, stale, T0);
    expect(decide(o, T0 + 1000, 'me', 15).action).toBe('wait');
  });

  it('takes over an expired lease: a new acquireTime and one more transition', () => {
    const o = observe(undefined, held('other'), T0);
    const d = decide(o, T0 + 15_000, 'me', 10);
    expect(d).toEqual({
      action: 'write',
      record: {
        holderIdentity: 'me',
        leaseDurationSeconds: 10,
        acquireTime: '2026-12-05T10:00:15.000000Z',
        renewTime: '2026-12-05T10:00:15.000000Z',
        leaseTransitions: 4,
      },
    });
  });

  it('takes a released lease at once', () => {
    const released = releasedRecord(held('other'), T0);
    const o = observe(undefined, released, T0);
    const d = decide(o, T0 + 1, 'me', 15);
    expect(d).toMatchObject({
      action: 'write',
      record: { holderIdentity: 'me', leaseTransitions: 4 },
    });
  });

  it('renews its own lease keeping acquireTime and the transitions, even when expired here', () => {
    const mine = held('me');
    for (const now of [T0 + 1000, T0 + 60_000]) {
      const d = decide(observe(undefined, mine, T0), now, 'me', 15);
      expect(d).toEqual({
        action: 'write',
        record: {
          ...mine,
          renewTime: new Date(now).toISOString().replace('Z', '000Z'),
        },
      });
    }
  });
});

describe('records', () => {
  it('a first record has no transition; a release clears the holder with a one-second duration', () => {
    const first = firstRecord(T0, 'me', 15);
    expect(first).toEqual({
      holderIdentity: 'me',
      leaseDurationSeconds: 15,
      acquireTime: '2026-12-05T10:00:00.000000Z',
      renewTime: '2026-12-05T10:00:00.000000Z',
      leaseTransitions: 0,
    });
    expect(releasedRecord(held('me'), T0 + 1)).toEqual({
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: '2026-12-05T10:00:00.001000Z',
      renewTime: '2026-12-05T10:00:00.001000Z',
      leaseTransitions: 3,
    });
    expect(first.renewTime).toMatch(MICRO);
  });

  it('reads a Lease whose times came back as strings or Dates, and one without a spec', () => {
    expect(
      recordOf({
        spec: {
          holderIdentity: 'x',
          leaseDurationSeconds: 2,
          renewTime: '2026-12-05T10:00:00.123456Z' as never,
          acquireTime: new Date(T0) as never,
        },
      }),
    ).toEqual({
      holderIdentity: 'x',
      leaseDurationSeconds: 2,
      renewTime: '2026-12-05T10:00:00.123456Z',
      acquireTime: '2026-12-05T10:00:00.000Z',
      leaseTransitions: 0,
    });
    const empty = recordOf({});
    expect(empty).toMatchObject({ holderIdentity: '', leaseTransitions: 0 });
    // nobody holds a lease without a spec: anyone may take it
    expect(decide(observe(undefined, empty, T0), T0, 'me', 15).action).toBe(
      'write',
    );
  });

  it('expiresAt counts the observed duration from the observation', () => {
    expect(expiresAt(observe(undefined, held('a'), T0))).toBe(T0 + 15_000);
  });
});

describe('timingOf', () => {
  it("has client-go's defaults", () => {
    expect(timingOf({})).toEqual({
      leaseDurationSeconds: 15,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    });
  });

  it('refuses timings under which two replicas could lead at once', () => {
    expect(() => timingOf({ leaseDurationMs: 500 })).toThrow(
      /leaseDurationMs must be at least 1000/,
    );
    // 2.5 s are written as 2 s: a renew deadline of 2.2 s would outlast what the others wait
    expect(() =>
      timingOf({ leaseDurationMs: 2500, renewDeadlineMs: 2200 }),
    ).toThrow(
      /renewDeadlineMs \(2200\) must be shorter than the lease duration \(2 s\)/,
    );
    expect(() =>
      timingOf({
        leaseDurationMs: 2000,
        renewDeadlineMs: 1000,
        retryPeriodMs: 900,
      }),
    ).toThrow(/must be longer than 1.2 × retryPeriodMs \(900\)/);
    expect(
      timingOf({
        leaseDurationMs: 2000,
        renewDeadlineMs: 1500,
        retryPeriodMs: 300,
      }),
    ).toEqual({
      leaseDurationSeconds: 2,
      renewDeadlineMs: 1500,
      retryPeriodMs: 300,
    });
  });
});

/**
 * The elector against an in-memory Lease store with the API server's rules that matter here (404 for a
 * missing lease, 409 for a stale resourceVersion or an existing name), under fake timers: what kube-sim
 * cannot easily stage, a request that never answers and a lease overwritten behind the leader's back.
 */
/** an error shaped as client-node's ApiException: the HTTP status in `code` */
const status = (code: number) =>
  Object.assign(new Error(`HTTP ${code}`), { code });

class FakeLeases {
  private stored?: V1Lease;
  private rv = 0;
  /** requests from now on never answer */
  hang = false;
  readonly calls: string[] = [];

  readonly kubeConfig = {
    makeApiClient: () => ({
      readNamespacedLease: () => this.answer('get', () => this.read()),
      createNamespacedLease: ({ body }: { body: V1Lease }) =>
        this.answer('create', () => {
          if (this.stored) throw status(409);
          return this.store(body);
        }),
      replaceNamespacedLease: ({ body }: { body: V1Lease }) =>
        this.answer('update', () => {
          if (body.metadata?.resourceVersion !== String(this.rv))
            throw status(409);
          return this.store(body);
        }),
    }),
  } as unknown as KubeConfig;

  holder = () => this.stored?.spec?.holderIdentity;

  /** another client writes the lease (its own identity, a fresh renewal) */
  overwrite(holder: string) {
    this.store({
      ...this.stored,
      spec: {
        ...this.stored!.spec,
        holderIdentity: holder,
        renewTime: new V1MicroTime(Date.now()),
      },
    });
  }

  private read() {
    if (!this.stored) throw status(404);
    return JSON.parse(JSON.stringify(this.stored)) as V1Lease;
  }

  private store(body: V1Lease) {
    // through JSON as on the wire: MicroTimes become strings
    const lease = JSON.parse(JSON.stringify(body)) as V1Lease;
    lease.metadata = { ...lease.metadata, resourceVersion: String(++this.rv) };
    this.stored = lease;
    return this.read();
  }

  private answer(verb: string, f: () => V1Lease): Promise<V1Lease> {
    this.calls.push(verb);
    if (this.hang) return new Promise(() => undefined);
    return Promise.resolve().then(f);
  }
}

describe('startLeaderElection (fake API, fake timers)', () => {
  const timing = {
    leaseDurationMs: 2000,
    renewDeadlineMs: 1500,
    retryPeriodMs: 300,
  };
  let running: LeaderElection[] = [];
  let fakes: FakeLeases[] = [];

  beforeEach(() => jest.useFakeTimers());
  afterEach(async () => {
    // answered again, so that every stop() can release
    fakes.forEach(f => (f.hang = false));
    await Promise.all(running.map(e => e.stop()));
    running = [];
    fakes = [];
    jest.useRealTimers();
  });

  function elect(
    fake: FakeLeases,
    identity: string,
    extra: Partial<LeaderElectionOptions> = {},
  ) {
    fakes.push(fake);
    const signals: AbortSignal[] = [];
    const logs: string[] = [];
    const stopped = jest.fn();
    const e = startLeaderElection({
      kubeConfig: fake.kubeConfig,
      namespace: 'ns',
      name: 'lease',
      identity,
      ...timing,
      onStartedLeading: s => signals.push(s),
      onStoppedLeading: stopped,
      log: m => logs.push(m),
      ...extra,
    });
    running.push(e);
    return { e, signals, logs, stopped };
  }

  it('creates a missing lease and leads, renewing every retry period', async () => {
    const fake = new FakeLeases();
    const { e, signals } = elect(fake, 'me');
    await jest.advanceTimersByTimeAsync(0);
    await e.leading;
    expect(e.isLeader()).toBe(true);
    expect(fake.calls).toEqual(['get', 'create']);
    await jest.advanceTimersByTimeAsync(900);
    // the fast path: a leader writes over what it last saw, without reading first
    expect(fake.calls).toEqual(['get', 'create', 'update', 'update', 'update']);
    expect(signals).toHaveLength(1);
    expect(signals[0].aborted).toBe(false);
  });

  it('steps down at the renew deadline when requests never answer, and leads again once they do', async () => {
    const fake = new FakeLeases();
    const { e, signals, stopped } = elect(fake, 'me');
    await jest.advanceTimersByTimeAsync(0);
    await e.leading;
    const t0 = Date.now();
    fake.hang = true;
    await jest.advanceTimersByTimeAsync(1499);
    expect(e.isLeader()).toBe(true);
    await jest.advanceTimersByTimeAsync(1);
    expect(e.isLeader()).toBe(false);
    expect(Date.now() - t0).toBe(1500);
    expect(signals[0].aborted).toBe(true);
    expect(stopped).toHaveBeenCalledTimes(1);
    fake.hang = false;
    // the hung write times out, and the next attempt finds the lease still naming this replica
    await jest.advanceTimersByTimeAsync(5000);
    expect(e.isLeader()).toBe(true);
    expect(signals).toHaveLength(2);
    expect(signals[1].aborted).toBe(false);
  });

  it('steps down at once when the lease names another holder', async () => {
    const fake = new FakeLeases();
    const { e, signals, logs } = elect(fake, 'me');
    await jest.advanceTimersByTimeAsync(0);
    await e.leading;
    fake.overwrite('intruder');
    await jest.advanceTimersByTimeAsync(300);
    expect(e.isLeader()).toBe(false);
    expect(String(signals[0].reason)).toMatch(/intruder holds the lease/);
    expect(logs.join('\n')).toMatch(/lease ns\/lease held by intruder/);
    // the intruder renews no more: its lease expires 2 s after this replica last saw it change
    await jest.advanceTimersByTimeAsync(1500);
    expect(e.isLeader()).toBe(false);
    await jest.advanceTimersByTimeAsync(1500);
    expect(e.isLeader()).toBe(true);
    expect(fake.holder()).toBe('me');
  });

  it('two electors on one lease: the second waits, and takes over at once after the first stops', async () => {
    const fake = new FakeLeases();
    const a = elect(fake, 'a');
    await jest.advanceTimersByTimeAsync(0);
    await a.e.leading;
    const b = elect(fake, 'b');
    await jest.advanceTimersByTimeAsync(5000);
    expect([a.e.isLeader(), b.e.isLeader()]).toEqual([true, false]);
    await a.e.stop();
    expect(fake.holder()).toBe('');
    await jest.advanceTimersByTimeAsync(300 * 2.2);
    expect(b.e.isLeader()).toBe(true);
    expect(a.stopped).toHaveBeenCalledTimes(1);
  });

  it('a stop before it ever led writes nothing; a second stop is the same stop', async () => {
    const fake = new FakeLeases();
    const other = elect(fake, 'other');
    await jest.advanceTimersByTimeAsync(0);
    await other.e.leading;
    const calls = fake.calls.length;
    const me = elect(fake, 'me');
    await jest.advanceTimersByTimeAsync(0);
    const stop = me.e.stop();
    expect(me.e.stop()).toBe(stop);
    await stop;
    expect(fake.calls.slice(calls).filter(c => c !== 'update')).toEqual([
      'get',
      'get',
    ]);
    expect(fake.holder()).toBe('other');
    expect(me.stopped).not.toHaveBeenCalled();
  });

  it('a throwing onStartedLeading is logged and the lead goes on', async () => {
    const fake = new FakeLeases();
    const { e, logs } = elect(fake, 'me', {
      onStartedLeading: () => {
        throw new Error('callback broke');
      },
    });
    await jest.advanceTimersByTimeAsync(0);
    await e.leading;
    await jest.advanceTimersByTimeAsync(1000);
    expect(e.isLeader()).toBe(true);
    expect(logs).toContain('onStartedLeading failed: callback broke');
  });
});
