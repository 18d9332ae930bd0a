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
