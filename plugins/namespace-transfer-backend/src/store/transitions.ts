import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ENDED_STATES,
  refusal,
  transition,
  TransferAction,
  TransitionFacts,
} from '../workflow/states';
import { addApproval, Approval } from './approvals';
import { TransferRow } from './rows';
import type { Lease } from './types';

/** Reads a transfer inside the caller's transaction, or throws NotFoundError. */
export async function readRow(tx: Knex, id: string): Promise<TransferRow> {
  const row = await tx<TransferRow>('transfers').where({ id }).first();
  if (!row) throw new NotFoundError(`no transfer ${id}`);
  return row;
}

export function factsOf(row: TransferRow): TransitionFacts {
  const flag = (v: unknown) => v === true || v === 1 || v === '1';
  return {
    state: row.state as TransitionFacts['state'],
    pastPointOfNoReturn: flag(row.past_point_of_no_return),
    leftForResume: flag(row.left_for_resume),
    cancelRequested: flag(row.cancel_requested),
    hasRun: row.started_at !== null && row.started_at !== undefined,
  };
}

/** The WHERE clause that makes an update a compare-and-set on what was read. */
function unchangedSince(
  q: Knex.QueryBuilder,
  before: TransferRow,
  lease?: Lease,
): Knex.QueryBuilder {
  q.where({
    id: before.id,
    state: before.state,
    past_point_of_no_return: before.past_point_of_no_return,
    left_for_resume: before.left_for_resume,
    cancel_requested: before.cancel_requested,
    approved_by: before.approved_by,
  });
  if (lease) q.where({ lease_holder: lease.holder, lease_epoch: lease.epoch });
  return q;
}

export function leaseLost(row: TransferRow, lease: Lease): ConflictError {
  const holder = row.lease_holder ? `held by ${row.lease_holder}` : 'not held';
  return new ConflictError(
    `transfer ${lease.transferId} is no longer leased to ${lease.holder} at epoch ${lease.epoch} (it is ${row.state}, ${holder} at epoch ${row.lease_epoch}): the write was refused`,
  );
}

export interface TransitionRequest {
  id: string;
  action: TransferAction;
  /** for the worker's actions: the update happens only while this lease is held (fencing) */
  lease?: Lease;
  /** columns the caller sets with the change (e.g. error, downtime) */
  columns?: Record<string, unknown>;
  /** for approve: who approves and how many distinct approvals the config requires */
  approval?: Approval;
  now: Date;
}

/** The columns an action's outcome changes besides the state. */
function outcomeColumns(
  r: TransitionRequest,
  facts: TransitionFacts,
  attempt: number,
): Record<string, unknown> {
  const outcome = transition(r.action, facts);
  const columns: Record<string, unknown> = {
    state: outcome.state,
    updated_at: r.now,
  };
  if (outcome.cancelRequested) columns.cancel_requested = true;
  if (outcome.cutoverNow) columns.cutover_at = r.now;
  if (ENDED_STATES.includes(outcome.state)) columns.finished_at = r.now;
  // leaving `running` gives the worker slot back: the lease ends with it
  if (facts.state === 'running' && outcome.state !== 'running')
    Object.assign(columns, { lease_holder: null, lease_expires_at: null });
  if (outcome.newAttempt)
    Object.assign(columns, newAttemptColumns(attempt + 1));
  // back to approval (the plan changed): earlier approvals were of another plan
  if (
    outcome.state === 'pending-approval' &&
    facts.state !== 'pending-approval'
  )
    columns.approved_by = '[]';
  // back to the worker from a failure: it continues (resume) or rolls back (cancel) from the checkpoint
  if (outcome.state === 'approved' && facts.state === 'failed')
    Object.assign(columns, {
      error: null,
      finished_at: null,
      left_for_resume: false,
    });
  return columns;
}

/** A retry starts over: a new engine id (its own objects on the clusters), no checkpoint, no progress. */
function newAttemptColumns(attempt: number): Record<string, unknown> {
  return {
    attempt,
    engine_transfer_id: randomUUID(),
    checkpoint: null,
    run_plan: null,
    phase: null,
    cancel_requested: false,
    past_point_of_no_return: false,
    left_for_resume: false,
    bytes_done: null,
    bytes_total: null,
    files_done: null,
    files_total: null,
    bytes_carried: null,
    files_carried: null,
    rate_bytes_per_second: null,
    eta_seconds: null,
    downtime_ms: null,
    error: null,
    started_at: null,
    finished_at: null,
  };
}

/**
 * Applies an action as one conditional update: it lands only if the transfer is still as it was read
 * (state, flags and, for the worker, the lease). A concurrent change makes it a ConflictError that names
 * the state the transfer is in now.
 */
export async function applyTransition(
  tx: Knex,
  r: TransitionRequest,
): Promise<{ before: TransferRow; after: TransferRow }> {
  const before = await readRow(tx, r.id);
  const facts = factsOf(before);
  if (r.lease && !holds(before, r.lease)) throw leaseLost(before, r.lease);
  const approvalColumns: Record<string, unknown> = {};
  if (r.action === 'approve' && facts.state === 'pending-approval') {
    if (!r.approval) throw new Error('an approval must name who approves');
    const { approvedBy, missing } = addApproval(before, r.approval);
    facts.approvalsMissing = missing;
    approvalColumns.approved_by = JSON.stringify(approvedBy);
  }
  const columns = {
    ...outcomeColumns(r, facts, Number(before.attempt)),
    ...approvalColumns,
    ...r.columns,
  };
  const updated = await unchangedSince(tx('transfers'), before, r.lease).update(
    columns,
  );
  const after = await readRow(tx, r.id);
  if (updated === 1) return { before, after };
  if (r.lease && !holds(after, r.lease)) throw leaseLost(after, r.lease);
  const why = refusal(r.action, factsOf(after));
  throw new ConflictError(
    `cannot ${r.action}: ${why ?? `the transfer changed meanwhile (it is ${after.state}); try again`}`,
  );
}

export function holds(row: TransferRow, lease: Lease): boolean {
  return (
    row.lease_holder === lease.holder && Number(row.lease_epoch) === lease.epoch
  );
}
