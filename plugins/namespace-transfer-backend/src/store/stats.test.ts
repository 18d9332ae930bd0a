import type { Knex } from 'knex';
import { TransferStore } from './TransferStore';
import { migrateToLatest } from './migrate';
import { storeTestDatabases } from './__testUtils__/databases';
import { ManualClock, newTransfer } from './__testUtils__/transfers';

const databases = storeTestDatabases();
const HOUR = 3_600_000;

describe.each(databases.eachSupportedId())('bytes moved per day on %s', id => {
  let db: Knex;
  let store: TransferStore;
  const clock = new ManualClock(new Date('2026-11-30T22:00:00Z'));
  const owner = { actor: 'user:default/bob', ownership: {} };

  /** runs one transfer to its end, having moved `bytes` */
  async function run(bytes: number, end: 'succeed' | 'fail') {
    const t = await store.createTransfer(newTransfer());
    await store.decide({ transferId: t.id, kind: 'approve', ...owner });
    const { lease } = (await store.runs.claimNext({
      holder: 'w',
      ttlMs: HOUR,
    }))!;
    await store.runs.recordProgress(
      lease,
      { bytesDone: bytes, bytesTotal: bytes },
      { sample: false },
    );
    await store.runs.finishRun(
      lease,
      end,
      end === 'fail' ? { error: 'x' } : {},
    );
  }

  beforeAll(async () => {
    db = await databases.init(id);
    await migrateToLatest(db);
    store = new TransferStore(db, { now: clock.now });
    await run(100, 'succeed'); // 2026-11-30 22:00
    clock.advance(HOUR);
    await run(5_000_000_000, 'fail'); // 23:00, beyond 32 bits
    clock.advance(2 * HOUR);
    await run(7, 'succeed'); // 2026-12-01 01:00
    clock.advance(48 * HOUR);
    await run(1, 'succeed'); // 2026-12-03, outside the range asked
    // still pending: no bytes, not finished
    await store.createTransfer(newTransfer());
  });

  it('sums what finished attempts moved, per UTC day, within the range', async () => {
    expect(
      await store.bytesMovedPerDay({
        from: new Date('2026-11-30T00:00:00Z'),
        to: new Date('2026-12-03T00:00:00Z'),
      }),
    ).toEqual([
      { day: '2026-11-30', bytes: 5_000_000_100, transfers: 2 },
      { day: '2026-12-01', bytes: 7, transfers: 1 },
    ]);
  });

  it('refuses a range that ends before it starts', async () => {
    await expect(
      store.bytesMovedPerDay({ from: clock.now(), to: new Date(0) }),
    ).rejects.toThrow('the time range must start before it ends');
  });
});

describe.each(databases.eachSupportedId())('transfers per day on %s', id => {
  let db: Knex;
  let store: TransferStore;
  const clock = new ManualClock(new Date('2026-11-29T12:00:00Z'));
  const owner = { actor: 'user:default/bob', ownership: {} };
  const at = (t: Date) => clock.advance(t.getTime() - clock.now().getTime());
  const approve = (transferId: string) =>
    store.decide({ transferId, kind: 'approve', ...owner });

  async function runToEnd(transferId: string, end: 'succeed' | 'fail') {
    await approve(transferId);
    const { lease } = (await store.runs.claimNext({
      holder: 'w',
      ttlMs: HOUR,
    }))!;
    expect(lease.transferId).toBe(transferId);
    await store.runs.finishRun(
      lease,
      end,
      end === 'fail' ? { error: 'x' } : {},
    );
  }

  beforeAll(async () => {
    db = await databases.init(id);
    await migrateToLatest(db);
    store = new TransferStore(db, { now: clock.now });
    // requested 11-29 (before the range), failed 11-30 23:30: counts on the day it ended
    const failed = await store.createTransfer(newTransfer());
    at(new Date('2026-11-30T20:00:00Z'));
    const rejected = await store.createTransfer(newTransfer());
    const succeeded = await store.createTransfer(newTransfer());
    at(new Date('2026-11-30T21:00:00Z'));
    await store.decide({ transferId: rejected.id, kind: 'reject', ...owner });
    at(new Date('2026-11-30T23:30:00Z'));
    await runToEnd(failed.id, 'fail');
    // requested 11-30, succeeded after midnight UTC
    at(new Date('2026-12-01T00:30:00Z'));
    await runToEnd(succeeded.id, 'succeed');
    // not ended: on the day they were requested
    await store.createTransfer(newTransfer());
    await store.createTransfer(newTransfer());
    await approve((await store.createTransfer(newTransfer())).id);
    // outside the range asked
    at(new Date('2026-12-02T00:00:00Z'));
    await store.createTransfer(newTransfer());
  });

  it('counts each transfer once per state, on the UTC day it ended or, not ended yet, was requested', async () => {
    expect(
      await store.transfersPerDay({
        from: new Date('2026-11-30T00:00:00Z'),
        to: new Date('2026-12-02T00:00:00Z'),
      }),
    ).toEqual([
      { day: '2026-11-30', counts: { failed: 1, rejected: 1 } },
      {
        day: '2026-12-01',
        counts: { succeeded: 1, 'pending-approval': 2, approved: 1 },
      },
    ]);
  });

  it('answers no days for a range without transfers, and refuses a range that ends before it starts', async () => {
    expect(
      await store.transfersPerDay({
        from: new Date('2026-01-01T00:00:00Z'),
        to: new Date('2026-02-01T00:00:00Z'),
      }),
    ).toEqual([]);
    await expect(
      store.transfersPerDay({ from: clock.now(), to: clock.now() }),
    ).rejects.toThrow('the time range must start before it ends');
  });
});
