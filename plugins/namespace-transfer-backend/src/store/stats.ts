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

/**
 * The day (UTC, YYYY-MM-DD) a time column (or an expression of them, written for both databases) falls
 * on, in each database's own date functions.
 */
function utcDay(db: Knex, time: string): Knex.Raw {
  const client = String(db.client.config.client);
  if (client === 'pg')
    return db.raw(`to_char(${time} at time zone 'UTC', 'YYYY-MM-DD')`);
  // knex's SQLite clients store a Date as epoch milliseconds
  if (client === 'better-sqlite3' || client === 'sqlite3')
    return db.raw(`strftime('%Y-%m-%d', ${time} / 1000, 'unixepoch')`);
  throw new Error(
    `the statistics are computed on SQLite and PostgreSQL, not on ${client}`,
  );
}

function checkRange(range: { from: Date; to: Date }) {
  if (!(range.from < range.to))
    throw new InputError('the time range must start before it ends');
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
  checkRange(range);
  const day = utcDay(db, 'finished_at');
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

/** The time a transfer counts on per day: when it ended, or when it was requested while it has not ended. */
const COUNTED_AT = 'coalesce(finished_at, created_at)';

export interface TransfersOnDay {
  day: string;
  counts: Partial<Record<TransferState, number>>;
}

/**
 * Transfers per UTC day and state, in [from, to): an ended transfer (succeeded, failed, cancelled, rejected,
 * expired) on the day it ended (finished_at), one that has not ended (pending-approval, approved, running,
 * staged) on the day it was requested (created_at). Only days with a transfer, in order; one GROUP BY.
 */
export async function transfersPerDay(
  db: Knex,
  range: { from: Date; to: Date },
): Promise<TransfersOnDay[]> {
  checkRange(range);
  const rows = (await db('transfers')
    .select({ day: utcDay(db, COUNTED_AT), state: 'state' })
    .count({ count: '*' })
    .where(db.raw(`${COUNTED_AT} >= ?`, [range.from]))
    .where(db.raw(`${COUNTED_AT} < ?`, [range.to]))
    .groupBy('day', 'state')
    .orderBy('day')) as Array<{ day: string; state: string; count: unknown }>;
  const days: TransfersOnDay[] = [];
  for (const r of rows) {
    const day = String(r.day);
    if (days.at(-1)?.day !== day) days.push({ day, counts: {} });
    days.at(-1)!.counts[r.state as TransferState] = Number(r.count);
  }
  return days;
}
