import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';

const POSTGRES: TestDatabaseId = 'POSTGRES_15';
export const POSTGRES_URL_VARIABLE =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * The databases the store is tested on: SQLite always, PostgreSQL 15 when its connection string is set.
 * Under CI a missing PostgreSQL fails the test file instead of quietly testing SQLite only.
 */
export function storeTestDatabases(): TestDatabases {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', POSTGRES] });
  if (process.env.CI && !databases.supports(POSTGRES))
    throw new Error(
      `CI runs the store's tests on PostgreSQL too: set ${POSTGRES_URL_VARIABLE} (e.g. postgresql://postgres:postgres@127.0.0.1:5432)`,
    );
  return databases;
}

/** The knex client a database id must have given (the tests assert they ran where they claim to). */
export function expectedClient(id: TestDatabaseId): string {
  return id.startsWith('POSTGRES') ? 'pg' : 'better-sqlite3';
}

export function clientOf(db: Knex): string {
  return String(db.client.config.client);
}
