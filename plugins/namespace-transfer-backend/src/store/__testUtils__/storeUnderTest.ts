import type {
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { migrateToLatest } from '../migrate';
import { TransferStore } from '../TransferStore';
import { ManualClock, newTransfer } from './transfers';
import type { NewTransfer } from '../types';

/** What a describe block of the store's tests works with; filled in by its beforeAll. */
export interface StoreUnderTest {
  db: Knex;
  store: TransferStore;
  clock: ManualClock;
}

/**
 * A migrated store on one test database for the enclosing describe block. After each test no transfer is
 * left approved, running or staged: tests claim the oldest claimable one, which must be their own.
 */
export function storeUnderTest(
  databases: TestDatabases,
  id: TestDatabaseId,
): StoreUnderTest {
  const env = { clock: new ManualClock() } as StoreUnderTest;
  beforeAll(async () => {
    env.db = await databases.init(id);
    await migrateToLatest(env.db);
    env.store = new TransferStore(env.db, { now: env.clock.now });
  });
  afterEach(async () => {
    await env
      .db('transfers')
      .whereIn('state', ['approved', 'running', 'staged'])
      .update({ state: 'cancelled', lease_holder: null });
  });
  return env;
}

/** An owner of the test transfers' source, who may approve them. */
export const SOURCE_OWNER = {
  actor: 'user:default/bob',
  ownership: { sourceOwners: ['group:default/team-payments'] },
};

/** A transfer requested, approved by the source's owner and claimed by worker `w1` a millisecond later. */
export async function claimedTransfer(
  { store, clock }: StoreUnderTest,
  over: Partial<NewTransfer> = {},
  ttlMs = 30_000,
) {
  const t = await store.createTransfer(newTransfer(over));
  await store.decide({ transferId: t.id, kind: 'approve', ...SOURCE_OWNER });
  clock.advance(1);
  return (await store.runs.claimNext({ holder: 'w1', ttlMs }))!;
}
