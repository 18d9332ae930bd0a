import type { DatabaseService } from '@backstage/backend-plugin-api';
import knexFactory, { type Knex } from 'knex';
import { TransferStore } from '../store';
import { MIGRATIONS_DIRECTORY } from '../store/migrate';
import { storeTestDatabases } from '../store/__testUtils__/databases';
import { explainMigrationFailure } from './migrations';

const databaseOf = (db: Knex): DatabaseService => ({
  getClient: async () => db,
});

/** the message start-up stops with when the store is created on `db` */
async function startupFailure(db: Knex): Promise<Error> {
  const outcome = await explainMigrationFailure(() =>
    TransferStore.create(databaseOf(db)),
  ).then(
    () => undefined,
    (e: Error) => e,
  );
  if (!outcome) throw new Error('expected the migration to fail');
  return outcome;
}

describe('explainMigrationFailure', () => {
  const databases = storeTestDatabases();

  it.each(databases.eachSupportedId())(
    'says a database migrated by a newer version needs that version, on %s',
    async id => {
      const db = await databases.init(id);
      await db.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      await db('knex_migrations').insert({
        name: '29991231000000_from_a_later_version.js',
        batch: 99,
        migration_time: new Date(),
      });
      const error = await startupFailure(db);
      expect(error.message).toBe(
        'Namespace Transfer cannot start: its database was migrated by a newer version of the plugin ' +
          '(migrations applied there that this version does not ship: 29991231000000_from_a_later_version.js). ' +
          'Run that version or a later one, or restore the database from before the upgrade; do not delete ' +
          'those rows of knex_migrations: the schema would no longer match them.',
      );
      expect(String(error.cause)).toMatch(/migration directory is corrupt/);
    },
  );

  it.each(databases.eachSupportedId())(
    'says what holds the migration lock and how to release it, on %s',
    async id => {
      const db = await databases.init(id);
      await db.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      await db('knex_migrations_lock').update({ is_locked: 1 });
      const error = await startupFailure(db);
      expect(error.message).toMatch(
        /^Namespace Transfer cannot start: its database's migration lock is held \(table knex_migrations_lock\)\..*UPDATE knex_migrations_lock SET is_locked = 0\.$/,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'names the failed statement of a migration and leaves the schema as it was, on %s',
    async id => {
      const db = await databases.init(id);
      // a table of the first migration's, made by hand before the plugin ever ran
      await db.schema.createTable('transfers', t => t.string('id'));
      const error = await startupFailure(db);
      expect(error.message).toMatch(
        /^Namespace Transfer cannot start: migrating its database failed: (relation|table) .transfers. already exists \(in: create table .transfers. \(.{20,60}…\)\. Each migration runs in a transaction/,
      );
      // the first migration rolled back whole: its first table is not there, nothing recorded as applied
      expect(await db.schema.hasTable('batches')).toBe(false);
      const [{ n }] = await db('knex_migrations').count({ n: '*' });
      expect(Number(n)).toBe(0);
    },
  );

  it('says a database that cannot be reached is a matter of backend.database', async () => {
    // nothing listens on port 1 of the loopback: the connection is refused
    const db = knexFactory({
      client: 'pg',
      connection: 'postgresql://postgres@127.0.0.1:1/none',
      pool: { min: 0, max: 1, acquireTimeoutMillis: 5_000 },
    });
    try {
      const error = await startupFailure(db);
      expect(error.message).toMatch(
        /^Namespace Transfer cannot start: its database could not be reached to migrate it \(ECONNREFUSED: .*\)\. Check backend\.database in app-config/,
      );
    } finally {
      await db.destroy();
    }
  });
});
