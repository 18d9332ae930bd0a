import type { Knex } from 'knex';
import { InputError } from '@backstage/errors';
import { TransferStore } from './TransferStore';
import { migrateToLatest } from './migrate';
import { storeTestDatabases } from './__testUtils__/databases';
import { ManualClock, newTransfer } from './__testUtils__/transfers';
import type { ListRequest, Transfer } from './types';

const databases = storeTestDatabases();

describe.each(databases.eachSupportedId())('listing transfers on %s', id => {
  let db: Knex;
  let store: TransferStore;
  const clock = new ManualClock(new Date('2026-11-01T00:00:00Z'));
  const owner = { actor: 'user:default/bob', ownership: {} };
  let all: Transfer[];

  /** one world for the file: 12 transfers a minute apart, across two requesters, clusters and states */
  beforeAll(async () => {
    db = await databases.init(id);
    await migrateToLatest(db);
    store = new TransferStore(db, { now: clock.now });
    all = [];
    for (let i = 0; i < 12; i++) {
      const claim = `data-${String(i).padStart(2, '0')}`;
      const t = await store.createTransfer(
        newTransfer({
          source: {
            cluster: i % 2 ? 'east' : 'west',
            namespace: i % 3 ? 'payments' : 'orders',
            claim,
            entityRef:
              i % 3
                ? 'component:default/payments-db'
                : 'component:default/orders-api',
          },
          destination: {
            ...newTransfer().destination,
            cluster: i % 2 ? 'west' : 'east',
            claim,
          },
          requester: i < 8 ? 'user:default/alice' : 'user:default/carol',
        }),
      );
      if (i % 4 === 1)
        await store.decide({ transferId: t.id, kind: 'reject', ...owner });
      if (i % 4 === 2)
        await store.decide({
          transferId: t.id,
          kind: 'approve',
          actor: 'user:default/dave',
          ownership: {},
        });
      all.push(await store.get(t.id));
      clock.advance(60_000);
    }
  });

  const claims = (ts: Transfer[]) => ts.map(t => t.source.claim);
  const pageThrough = async (request: ListRequest) => {
    const seen: Transfer[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list({ ...request, cursor });
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return seen;
  };

  it('lists the newest first by default', async () => {
    const page = await store.list({ limit: 3 });
    expect(claims(page.items)).toEqual(['data-11', 'data-10', 'data-09']);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('filters by state, cluster, namespace, requester, entity and time', async () => {
    const list = async (filter: ListRequest['filter']) =>
      claims(
        (
          await store.list({
            filter,
            sort: { field: 'createdAt', order: 'asc' },
          })
        ).items,
      );
    expect(await list({ state: ['rejected'] })).toEqual([
      'data-01',
      'data-05',
      'data-09',
    ]);
    // a cluster or namespace matches either side
    expect(await list({ cluster: 'east' })).toHaveLength(12);
    expect(await list({ namespace: 'orders' })).toEqual([
      'data-00',
      'data-03',
      'data-06',
      'data-09',
    ]);
    expect(await list({ requester: 'user:default/carol' })).toEqual([
      'data-08',
      'data-09',
      'data-10',
      'data-11',
    ]);
    expect(
      await list({ sourceEntityRefs: ['component:default/orders-api'] }),
    ).toEqual(['data-00', 'data-03', 'data-06', 'data-09']);
    expect(
      await list({ entityRefs: ['component:default/payments-next'] }),
    ).toHaveLength(12);
    expect(
      await list({
        createdAfter: all[2].createdAt,
        createdBefore: all[5].createdAt,
      }),
    ).toEqual(['data-02', 'data-03', 'data-04']);
    expect(
      await list({
        state: ['pending-approval'],
        requester: 'user:default/carol',
        namespace: 'payments',
      }),
    ).toEqual(['data-08', 'data-11']);
    // the approver filter reads the decisions: dave approved, bob only rejected
    expect(await list({ approver: 'user:default/dave' })).toEqual([
      'data-02',
      'data-06',
      'data-10',
    ]);
    expect(await list({ approver: 'user:default/bob' })).toEqual([]);
  });

  it('shows a user what they requested and what moves from or to what they own', async () => {
    const visible = async (userRef: string, ownedEntityRefs: string[]) =>
      claims(
        (
          await store.list({
            filter: { visibleTo: { userRef, ownedEntityRefs } },
            sort: { field: 'createdAt', order: 'asc' },
          })
        ).items,
      );
    expect(await visible('user:default/carol', [])).toEqual([
      'data-08',
      'data-09',
      'data-10',
      'data-11',
    ]);
    expect(
      await visible('user:default/carol', ['component:default/orders-api']),
    ).toEqual([
      'data-00',
      'data-03',
      'data-06',
      'data-08',
      'data-09',
      'data-10',
      'data-11',
    ]);
    expect(
      await visible('user:default/erin', ['component:default/payments-next']),
    ).toHaveLength(12);
    expect(await visible('user:default/erin', [])).toEqual([]);
  });

  it('pages through everything exactly once in every sort order', async () => {
    for (const field of [
      'createdAt',
      'updatedAt',
      'state',
      'requester',
    ] as const)
      for (const order of ['asc', 'desc'] as const) {
        const seen = await pageThrough({ sort: { field, order }, limit: 5 });
        expect(new Set(seen.map(t => t.id)).size).toBe(12);
        const keys = seen.map(t => {
          const v = t[field];
          return v instanceof Date ? v.getTime() : v;
        });
        const sorted = [...keys].sort((x, y) => Number(x > y) - Number(x < y));
        expect(keys).toEqual(order === 'asc' ? sorted : sorted.reverse());
      }
  });

  it('keeps a cursor stable while transfers are added', async () => {
    const first = await store.list({
      limit: 4,
      filter: { requester: 'user:default/alice' },
    });
    expect(claims(first.items)).toEqual([
      'data-07',
      'data-06',
      'data-05',
      'data-04',
    ]);
    // a new request lands at the top of the order; the next page neither repeats nor skips a row
    await store.createTransfer(
      newTransfer({ source: { ...newTransfer().source, claim: 'late' } }),
    );
    const second = await store.list({
      limit: 4,
      filter: { requester: 'user:default/alice' },
      cursor: first.nextCursor,
    });
    expect(claims(second.items)).toEqual([
      'data-03',
      'data-02',
      'data-01',
      'data-00',
    ]);
    expect(second.nextCursor).toBeUndefined();
    await db('transfers').where({ source_claim: 'late' }).delete();
  });

  it('refuses a cursor it did not hand out or one of another order, and bad page sizes', async () => {
    const page = await store.list({ limit: 2 });
    await expect(store.list({ cursor: 'not-a-cursor' })).rejects.toThrow(
      new InputError('the cursor is not one this API handed out'),
    );
    await expect(
      store.list({
        cursor: page.nextCursor,
        sort: { field: 'state', order: 'asc' },
      }),
    ).rejects.toThrow(
      /the cursor belongs to a listing sorted by createdAt desc/,
    );
    await expect(store.list({ limit: 0 })).rejects.toThrow(
      /from 1 to 500 \(got 0\)/,
    );
    await expect(store.list({ limit: 501 })).rejects.toThrow(InputError);
  });

  it('counts transfers by state, every state present', async () => {
    expect(await store.countsByState()).toEqual({
      'pending-approval': 6,
      approved: 3,
      running: 0,
      staged: 0,
      succeeded: 0,
      failed: 0,
      cancelled: 0,
      rejected: 3,
      expired: 0,
    });
    expect(
      await store.countsByState({ requester: 'user:default/carol' }),
    ).toMatchObject({
      'pending-approval': 2,
      approved: 1,
      rejected: 1,
    });
  });
});
