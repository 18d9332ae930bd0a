import { MIGRATIONS_DIRECTORY, migrateToLatest } from './migrate';
import {
  clientOf,
  expectedClient,
  storeTestDatabases,
} from './__testUtils__/databases';

const TABLES = ['batches', 'transfers', 'decisions', 'events'];

describe('migrations', () => {
  const databases = storeTestDatabases();

  if (process.env.CI)
    it('run on PostgreSQL in CI', () => {
      expect(databases.eachSupportedId()).toContainEqual(['POSTGRES_15']);
    });

  it.each(databases.eachSupportedId())(
    'go up from an empty database and down again on %s',
    async id => {
      const db = await databases.init(id);
      expect(clientOf(db)).toBe(expectedClient(id));
      for (const table of TABLES)
        expect(await db.schema.hasTable(table)).toBe(false);

      await migrateToLatest(db);
      for (const table of TABLES)
        expect(await db.schema.hasTable(table)).toBe(true);
      for (const column of [
        'lease_epoch',
        'lease_expires_at',
        'past_point_of_no_return',
        'checkpoint',
        'engine_transfer_id',
        'cutover_at',
        'expires_at',
        'approved_by',
        'run_plan',
        'requested_via',
        'kubernetes_request',
        'kep_request_uid',
      ])
        expect(await db.schema.hasColumn('transfers', column)).toBe(true);
      // a second start-up finds nothing to do
      const [, pending] = await db.migrate.list({
        directory: MIGRATIONS_DIRECTORY,
      });
      expect(pending).toEqual([]);

      await db.migrate.rollback({ directory: MIGRATIONS_DIRECTORY }, true);
      for (const table of TABLES)
        expect(await db.schema.hasTable(table)).toBe(false);

      // and up again: down left nothing behind that would stop it
      await migrateToLatest(db);
      expect(await db.schema.hasTable('transfers')).toBe(true);
    },
  );
});
