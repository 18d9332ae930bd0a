import type { Knex } from 'knex';
import { InputError } from '@backstage/errors';
import { eventFromRow } from './rows';
import { assertNoSecret } from './secrets';
import { EVENT_KINDS, EventKind, TransferEvent } from './types';

export const MAX_EVENTS_PAGE = 1000;

export interface ReadEventsRequest {
  transferId?: string;
  /** the id of the last event already read (exclusive) */
  after?: string;
  limit?: number;
}

/** Any fixed number: the PostgreSQL advisory lock that orders appends (see append). */
export const APPEND_LOCK = 0x6e737476;

/**
 * The append-only audit trail. Nothing here updates or deletes an event; appends take the caller's
 * transaction so an event is stored exactly when the change it describes is.
 */
export class EventLog {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  async append(
    transferId: string,
    kind: EventKind,
    payload: Record<string, unknown>,
    tx: Knex.Transaction,
  ): Promise<void> {
    if (!EVENT_KINDS.includes(kind))
      throw new Error(`unknown event kind ${kind}`);
    assertNoSecret(payload, `a ${kind} event`);
    // PostgreSQL hands out ids at insert but makes rows visible at commit, so a reader at cursor n could see
    // n+2 before n+1 commits and never read n+1. Appends therefore take turns until their transaction
    // ends: ids become visible in order. (SQLite has one writer at a time already.)
    if (String(tx.client.config.client) === 'pg')
      await tx.raw('select pg_advisory_xact_lock(?)', [APPEND_LOCK]);
    await tx('events').insert({
      transfer_id: transferId,
      at: this.now(),
      kind,
      payload: JSON.stringify(payload),
    });
  }

  /** Events in the order they were appended, after the cursor. */
  async read(request: ReadEventsRequest = {}): Promise<TransferEvent[]> {
    const limit = request.limit ?? 200;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS_PAGE)
      throw new InputError(
        `the page size must be a whole number from 1 to ${MAX_EVENTS_PAGE} (got ${limit})`,
      );
    const q = this.db('events').select('*');
    if (request.transferId) q.where('transfer_id', request.transferId);
    if (request.after !== undefined) {
      if (!/^\d{1,18}$/.test(request.after))
        throw new InputError(
          `the event cursor must be the id of an event (digits), got '${request.after}'`,
        );
      q.where('id', '>', Number(request.after));
    }
    const rows = await q.orderBy('id', 'asc').limit(limit);
    return rows.map(eventFromRow);
  }
}
