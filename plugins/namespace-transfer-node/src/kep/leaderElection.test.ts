import {
  decide,
  expiresAt,
  firstRecord,
  observe,
  recordOf,
  releasedRecord,
  timingOf,
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
