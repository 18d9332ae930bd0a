import type { Knex } from 'knex';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

/** The dated migrations shipped in the package (listed in its `files`). */
export const MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@namespace-transfer/plugin-namespace-transfer-backend',
  'migrations',
);

/** Brings the plugin's database to the latest schema. */
export async function migrateToLatest(db: Knex): Promise<void> {
  await db.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
}
