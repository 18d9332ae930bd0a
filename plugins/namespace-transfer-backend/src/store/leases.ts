import type { Knex } from 'knex';
import { leaseLost, readRow } from './transitions';
import { TransferRow } from './rows';
import type { Lease } from './types';

/** How many candidates one claim looks at before giving up for this round (others may be racing for them). */
const CLAIM_CANDIDATES = 8;

/**
 * Only the portal's transfers are the worker's: one asked for through the Kubernetes API runs in the KEP
 * controller, and its row is `running` without a lease while it does.
 */
const PORTAL = { requested_via: 'portal' };

/**
 * What a worker may claim: an approved transfer; a running one whose lease ended (handed over, reaped or
 * expired: its holder crashed or stopped); a staged one that is due for cut over or has a cancel to roll
 * back. Never one of the KEP controller's (see PORTAL).
 */
export function claimable(q: Knex.QueryBuilder, now: Date): Knex.QueryBuilder {
  return q.where(PORTAL).where(b =>
    b
      .where('state', 'approved')
      .orWhere(running =>
        running
          .where('state', 'running')
          .andWhere(free =>
            free
              .whereNull('lease_holder')
              .orWhere('lease_expires_at', '<', now),
          ),
      )
      .orWhere(staged =>
        staged
          .where('state', 'staged')
          .andWhere(due =>
            due
              .where('cutover_at', '<=', now)
              .orWhere('cancel_requested', true),
          ),
      ),
  );
}

export interface ClaimOptions {
  holder: string;
  ttlMs: number;
  now: Date;
  /** clusters at their concurrency limit: a transfer from or to one of them is left for later */
  skipClusters?: string[];
}

function notOn(
  q: Knex.QueryBuilder,
  clusters: string[] | undefined,
): Knex.QueryBuilder {
  if (!clusters?.length) return q;
  return q
    .whereNotIn('source_cluster', clusters)
    .whereNotIn('destination_cluster', clusters);
}

export interface Claim {
  lease: Lease;
  /** the state the transfer was in before: approved (a first run), running (a take-over) or staged */
  from: TransferRow['state'];
  /** the holder whose lease ran out, on a take-over */
  previousHolder?: string;
  /** candidates another worker claimed first, while this one tried (how contended claiming is) */
  contended: number;
}

/**
 * Claims the oldest claimable transfer. The claim is a compare-and-set on the lease epoch, a plain
 * conditional UPDATE both SQLite and PostgreSQL evaluate atomically: of two workers racing for one row,
 * exactly one sees its update applied; the other moves on to the next candidate.
 */
export async function claimNext(
  db: Knex,
  o: ClaimOptions,
): Promise<Claim | undefined> {
  const candidates = await notOn(
    claimable(db('transfers'), o.now),
    o.skipClusters,
  )
    .select('id', 'state', 'lease_epoch', 'lease_holder')
    .orderBy([
      { column: 'created_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ])
    .limit(CLAIM_CANDIDATES);
  let contended = 0;
  for (const c of candidates) {
    const epoch = Number(c.lease_epoch) + 1;
    const updated = await claimable(db('transfers'), o.now)
      .where({ id: c.id, lease_epoch: c.lease_epoch })
      .update({
        state: 'running',
        lease_holder: o.holder,
        lease_epoch: epoch,
        lease_expires_at: new Date(o.now.getTime() + o.ttlMs),
        updated_at: o.now,
        started_at: db.raw('coalesce(started_at, ?)', [o.now]),
      });
    if (updated === 1)
      return {
        lease: { transferId: c.id, holder: o.holder, epoch },
        from: c.state,
        previousHolder:
          c.state === 'running' ? (c.lease_holder ?? undefined) : undefined,
        contended,
      };
    contended++;
  }
  return undefined;
}

/**
 * Updates a running transfer's columns only while `lease` holds it (fencing): a worker whose lease
 * was taken over gets a ConflictError instead of overwriting the new holder's work.
 */
export async function fencedUpdate(
  db: Knex,
  lease: Lease,
  columns: Record<string, unknown>,
): Promise<void> {
  const updated = await db('transfers')
    .where({
      id: lease.transferId,
      state: 'running',
      lease_holder: lease.holder,
      lease_epoch: lease.epoch,
    })
    .update(columns);
  if (updated !== 1)
    throw leaseLost(await readRow(db, lease.transferId), lease);
}

/** Ends a lease without changing the state, so another worker resumes the transfer (a hand-over). */
export async function releaseLease(
  db: Knex,
  lease: Lease,
  now: Date,
): Promise<void> {
  await fencedUpdate(db, lease, {
    lease_holder: null,
    lease_expires_at: null,
    updated_at: now,
  });
}

/**
 * Ends the leases that expired (their holders stopped heartbeating), each with a conditional update so a
 * heartbeat that lands first keeps its lease. Returns the leases ended.
 */
export async function expiredLeases(db: Knex, now: Date): Promise<Lease[]> {
  const rows = await db<TransferRow>('transfers')
    .select('id', 'lease_holder', 'lease_epoch')
    .where(PORTAL)
    .where('state', 'running')
    .whereNotNull('lease_holder')
    .where('lease_expires_at', '<', now);
  return rows.map(r => ({
    transferId: r.id,
    holder: String(r.lease_holder),
    epoch: Number(r.lease_epoch),
  }));
}

export async function reapLease(
  db: Knex,
  lease: Lease,
  now: Date,
): Promise<boolean> {
  const updated = await db('transfers')
    .where({
      ...PORTAL,
      id: lease.transferId,
      state: 'running',
      lease_holder: lease.holder,
      lease_epoch: lease.epoch,
    })
    .where('lease_expires_at', '<', now)
    .update({ lease_holder: null, lease_expires_at: null, updated_at: now });
  return updated === 1;
}
