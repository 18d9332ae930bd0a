/**
 * What a failed migration at start-up means for the operator, said in one message: knex's own errors name
 * a symptom (a missing file, a lock, a refused connection, an SQL error) but not what to do about it.
 */
export async function explainMigrationFailure<T>(
  migrate: () => Promise<T>,
): Promise<T> {
  try {
    return await migrate();
  } catch (error) {
    throw migrationError(error);
  }
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  // PostgreSQL: bad password, no such database, no such role
  '28P01',
  '28000',
  '3D000',
  // better-sqlite3: the file's folder is missing or not writable
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
]);

/** The error start-up stops with: the cause in the operator's terms, what to fix, knex's error as cause. */
export function migrationError(error: unknown): Error {
  // not instanceof Error: a driver's error class may come from another realm (a native module under jest)
  const raw = (error as { message?: unknown })?.message;
  const message = typeof raw === 'string' ? raw : String(error);
  const code = (error as { code?: unknown })?.code;
  const start = 'Namespace Transfer cannot start: ';
  const missing = /the following files are missing: (.*)$/.exec(message)?.[1];
  let text: string;
  if (missing)
    text =
      `its database was migrated by a newer version of the plugin (migrations applied there that this ` +
      `version does not ship: ${missing}). Run that version or a later one, or restore the database ` +
      `from before the upgrade; do not delete those rows of knex_migrations: the schema would no longer match them.`;
  else if (
    (error as Error)?.name === 'MigrationLocked' ||
    /already locked/.test(message)
  )
    text =
      `its database's migration lock is held (table knex_migrations_lock). Another backend replica may ` +
      `be migrating it: wait for it and restart. If none is (a start-up was killed while migrating), ` +
      `check that the schema is whole and release the lock: UPDATE knex_migrations_lock SET is_locked = 0.`;
  else if (typeof code === 'string' && CONNECTION_CODES.has(code))
    text =
      `its database could not be reached to migrate it (${code}: ${message}). Check ` +
      `backend.database in app-config (client, connection, credentials) and that the database server runs.`;
  else
    text =
      `migrating its database failed: ${shortSqlError(message)}. Each migration runs in a transaction, so the schema ` +
      `is left at the last one that succeeded; fix the cause (often a table or column made by hand with ` +
      `the same name, or a database user without the right to create tables) and restart.`;
  return new Error(start + text, { cause: error });
}

/**
 * knex words an SQL error as "<the whole statement> - <the database's reason>": the reason first, then the
 * statement's beginning, which says what the migration was doing.
 */
function shortSqlError(message: string): string {
  const m =
    /^((?:create|alter|drop|insert|update|delete)\b[\s\S]*?) - ([^\n]+)$/i.exec(
      message,
    );
  if (!m) return message;
  const statement = m[1].replace(/\s+/g, ' ');
  return `${m[2]} (in: ${statement.length > 60 ? `${statement.slice(0, 60)}…` : statement})`;
}
