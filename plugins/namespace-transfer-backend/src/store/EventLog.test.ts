import type { Knex } from 'knex';
import { InputError } from '@backstage/errors';
import { APPEND_LOCK, EventLog } from './EventLog';
import { TransferStore } from './TransferStore';
import { migrateToLatest } from './migrate';
import { storeTestDatabases } from './__testUtils__/databases';
import { ManualClock, newTransfer } from './__testUtils__/transfers';

const databases = storeTestDatabases();

describe.each(databases.eachSupportedId())('EventLog on %s', id => {
  let db: Knex;
  let log: EventLog;
  let transferId: string;
  const clock = new ManualClock();

  beforeAll(async () => {
    db = await databases.init(id);
    await migrateToLatest(db);
    const store = new TransferStore(db, { now: clock.now });
    transferId = (await store.createTransfer(newTransfer())).id;
    await store.createTransfer(newTransfer()); // another transfer's events interleave
    log = store.events;
  });

  const append = (message: string, kind: 'warning' | 'error' = 'warning') =>
    db.transaction(tx => log.append(transferId, kind, { message }, tx));

  it('reads a transfer’s events in order from a cursor, a page at a time', async () => {
    const [created] = await log.read({ transferId });
    for (const m of ['one', 'two', 'three']) await append(m);
    const page1 = await log.read({ transferId, after: created.id, limit: 2 });
    expect(page1.map(e => e.payload.message)).toEqual(['one', 'two']);
    const page2 = await log.read({ transferId, after: page1[1].id });
    expect(page2.map(e => e.payload.message)).toEqual(['three']);
    expect(await log.read({ transferId, after: page2[0].id })).toEqual([]);
    expect(page2[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      transferId,
      at: clock.now(),
      kind: 'warning',
      payload: { message: 'three' },
    });
  });

  it('refuses a cursor that is not an event id, a bad page size and an unknown kind', async () => {
    await expect(log.read({ after: '1 or 1=1' })).rejects.toThrow(
      new InputError(
        "the event cursor must be the id of an event (digits), got '1 or 1=1'",
      ),
    );
    await expect(log.read({ limit: 1001 })).rejects.toThrow(/from 1 to 1000/);
    await expect(
      db.transaction(tx =>
        log.append(transferId, 'gossip' as 'warning', {}, tx),
      ),
    ).rejects.toThrow('unknown event kind gossip');
  });
});

const postgres = databases
  .eachSupportedId()
  .filter(([id]) => id.startsWith('POSTGRES'));

describe.each(postgres)('EventLog appends on %s', id => {
  it('become visible in id order, so a reader at a cursor never skips one', async () => {
    const db = await databases.init(id);
    await migrateToLatest(db);
    const store = new TransferStore(db);
    const { id: transferId } = await store.createTransfer(newTransfer());
    const [created] = await store.events.read({ transferId });

    const first = await db.transaction();
    await store.events.append(
      transferId,
      'warning',
      { message: 'first' },
      first,
    );
    const second = db.transaction(tx =>
      store.events.append(transferId, 'warning', { message: 'second' }, tx),
    );
    // the second append waits for the first transaction's end (its advisory lock is not granted yet)
    const waiting = async () => {
      const { rows } = await db.raw(
        `select count(*)::int as n from pg_locks
          where locktype = 'advisory' and objid = ? and not granted
            and database = (select oid from pg_database where datname = current_database())`,
        [APPEND_LOCK],
      );
      return rows[0].n as number;
    };
    while ((await waiting()) === 0) await new Promise(r => setTimeout(r, 20));
    expect(await store.events.read({ transferId, after: created.id })).toEqual(
      [],
    );

    await first.commit();
    await second;
    const events = await store.events.read({ transferId, after: created.id });
    expect(events.map(e => e.payload.message)).toEqual(['first', 'second']);
    expect(Number(events[0].id)).toBeLessThan(Number(events[1].id));
  });
});
