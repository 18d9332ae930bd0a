import type { Knex } from 'knex';
import { InputError } from '@backstage/errors';
import { TRANSFER_STATES, TransferState } from '../workflow/states';
import { applyFilter } from './listTransfers';
import type { TransferFilter } from './types';

/** How many transfers are in each state (every state present, 0 when none), for the audit charts. */
export async function countsByState(
  db: Knex,
  filter?: TransferFilter,
): Promise<Record<TransferState, number>> {
  const rows: Array<{ state: string; count: unknown }> = await applyFilter(
    db('transfers'),
    filter,
  )
    .select('state')
    .count({ count: '*' })
    .groupBy('state');
  const counts = Object.fromEntries(TRANSFER_STATES.map(s => [s, 0])) as Record<
    TransferState,
    number
  >;
  for (const r of rows) counts[r.state as TransferState] = Number(r.count);
  return counts;
}

/** The day (UTC, YYYY-MM-DD) a finished_at falls on, in each database's own date functions. */
function finishedDay(db: Knex): Knex.Raw {
  const client = String(db.client.config.client);
  if (client === 'pg')
    return db.raw(`to_char(finished_at at time zone 'UTC', 'YYYY-MM-DD')`);
  // knex's SQLite clients store a Date as epoch milliseconds
  if (client === 'better-sqlite3' || client === 'sqlite3')
    return db.raw(`strftime('%Y-%m-%d', finished_at / 1000, 'unixepoch')`);
  throw new Error(
    `bytes moved per day is computed on SQLite and PostgreSQL, not on ${client}`,
  );
}

export interface BytesPerDay {
  day: string;
  bytes: number;
  transfers: number;
}

/**
 * Bytes that finished attempts moved, per UTC day they finished on (succeeded, failed and cancelled
 * attempts all moved their bytes), in [from, to).
 */
export async function bytesMovedPerDay(
  db: Knex,
  range: { from: Date; to: Date },
): Promise<BytesPerDay[]> {
  if (!(range.from < range.to))
    throw new InputError('the time range must start before it ends');
  const day = finishedDay(db);
  const rows = (await db('transfers')
    .select({ day })
    .sum({ bytes: 'bytes_done' })
    .count({ transfers: '*' })
    .whereNotNull('finished_at')
    .whereNotNull('bytes_done')
    .where('finished_at', '>=', range.from)
    .where('finished_at', '<', range.to)
    // both databases group and order by an output column's alias
    .groupBy('day')
    .orderBy('day')) as Array<{
    day: string;
    bytes: unknown;
    transfers: unknown;
  }>;
  return rows.map(r => ({
    day: String(r.day),
    bytes: Number(r.bytes),
    transfers: Number(r.transfers),
  }));
}
