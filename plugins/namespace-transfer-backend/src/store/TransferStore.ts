import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type {
  TransferCheckpoint,
  TransferPhase,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type { DecisionKind, SystemAction } from '../workflow/states';
import { DecisionStore, NewDecision } from './DecisionStore';
import { EventLog, ReadEventsRequest } from './EventLog';
import {
  claimNext,
  expiredLeases,
  fencedUpdate,
  reapLease,
  releaseLease,
} from './leases';
import { listTransfers } from './listTransfers';
import { migrateToLatest } from './migrate';
import { batchFromRow, transferFromRow, TransferRow } from './rows';
import { assertNoSecret, redactSecrets } from './secrets';
import { bytesMovedPerDay, countsByState } from './stats';
import { transferColumns } from './newTransferColumns';
import { applyTransition, holds, leaseLost, readRow } from './transitions';
import type {
  Batch,
  EventKind,
  Lease,
  ListPage,
  ListRequest,
  NewBatch,
  NewTransfer,
  ProgressSummary,
  Transfer,
  TransferFilter,
} from './types';

export interface TransferStoreOptions {
  /** the clock (tests move it to expire leases and requests without waiting) */
  now?: () => Date;
}

/** What the worker reports when it ends a run (or, for `stage`, pauses one). */
export interface RunOutcome {
  error?: string;
  downtimeMs?: number;
  /** why, for the event log (e.g. the plan's difference on `ask-again`) */
  details?: Record<string, unknown>;
}

export type WorkerAction = Exclude<SystemAction, 'start' | 'expire'>;

/**
 * The job store over knex (SQLite or PostgreSQL): transfers and batches, the decisions taken on them, the
 * event log, and the leases workers run transfers under. Every change of state is a conditional update
 * (see transitions.ts) and every write of a run is fenced by its lease (see leases.ts).
 */
export class TransferStore {
  readonly events: EventLog;
  private readonly decisionStore: DecisionStore;
  private readonly now: () => Date;

  /** Migrates the plugin's database (unless its config skips migrations) and opens the store on it. */
  static async create(
    database: DatabaseService,
    options: TransferStoreOptions = {},
  ): Promise<TransferStore> {
    const db = await database.getClient();
    if (!database.migrations?.skip) await migrateToLatest(db);
    return new TransferStore(db, options);
  }

  constructor(
    private readonly db: Knex,
    options: TransferStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.events = new EventLog(db, this.now);
    this.decisionStore = new DecisionStore(db);
  }

  async createTransfer(t: NewTransfer): Promise<Transfer> {
    return this.db.transaction(async tx => {
      const id = await this.insertTransfer(tx, t);
      return transferFromRow(await readRow(tx, id));
    });
  }

  /** A batch and all its transfers, or nothing when one of them cannot be stored. */
  async createBatch(
    batch: NewBatch,
    transfers: NewTransfer[],
  ): Promise<{ batch: Batch; transfers: Transfer[] }> {
    if (transfers.length === 0)
      throw new InputError('a batch needs at least one transfer');
    return this.db.transaction(async tx => {
      const id = randomUUID();
      await tx('batches').insert({
        id,
        requester: batch.requester,
        source_cluster: batch.source.cluster,
        source_namespace: batch.source.namespace,
        destination_entity_ref: batch.destinationEntityRef,
        comment: batch.comment ?? null,
        created_at: this.now(),
      });
      const ids: string[] = [];
      for (const t of transfers) ids.push(await this.insertTransfer(tx, t, id));
      const rows = await tx<TransferRow>('transfers').whereIn('id', ids);
      const byId = new Map(rows.map(r => [r.id, transferFromRow(r)]));
      return {
        batch: batchFromRow(await tx('batches').where({ id }).first()),
        transfers: ids.map(i => byId.get(i)!),
      };
    });
  }

  private async insertTransfer(
    tx: Knex,
    t: NewTransfer,
    batchId?: string,
  ): Promise<string> {
    assertNoSecret(t.options, 'the transfer options');
    assertNoSecret(t.plan, 'the plan');
    const id = randomUUID();
    await tx('transfers').insert(
      transferColumns(t, {
        id,
        batchId,
        engineTransferId: randomUUID(),
        now: this.now(),
      }),
    );
    await this.events.append(
      id,
      'state',
      { to: 'pending-approval', action: 'request', actor: t.requester },
      tx,
    );
    return id;
  }

  async get(id: string): Promise<Transfer> {
    return transferFromRow(await readRow(this.db, id));
  }

  async getBatch(id: string): Promise<Batch> {
    const row = await this.db('batches').where({ id }).first();
    if (!row) throw new NotFoundError(`no batch ${id}`);
    return batchFromRow(row);
  }

  list(request: ListRequest = {}): Promise<ListPage> {
    return listTransfers(this.db, request);
  }

  countsByState(filter?: TransferFilter) {
    return countsByState(this.db, filter);
  }

  bytesMovedPerDay(range: { from: Date; to: Date }) {
    return bytesMovedPerDay(this.db, range);
  }

  decisions(transferId: string) {
    return this.decisionStore.list(transferId);
  }

  readEvents(request: ReadEventsRequest) {
    return this.events.read(request);
  }

  /**
   * Records a person's decision and the change it makes, in one transaction: the decision, the new state
   * and their events land together or not at all (a 409 when the transfer is not in a state that allows it).
   */
  async decide(d: NewDecision & { kind: DecisionKind }): Promise<Transfer> {
    return this.db.transaction(async tx => {
      const now = this.now();
      const { before, after } = await applyTransition(tx, {
        id: d.transferId,
        action: d.kind,
        now,
      });
      await this.decisionStore.add(d, now, tx);
      await this.events.append(
        d.transferId,
        'decision',
        { kind: d.kind, actor: d.actor, comment: d.comment ?? null },
        tx,
      );
      await this.stateEvent(tx, before, after, d.kind);
      return transferFromRow(after);
    });
  }

  /** The janitor's move: requests nobody decided on before their expiry. Returns the ids it expired. */
  async expireOverdue(): Promise<string[]> {
    const now = this.now();
    const due = await this.db('transfers')
      .select('id')
      .where('state', 'pending-approval')
      .where('expires_at', '<', now);
    const expired: string[] = [];
    for (const { id } of due) {
      const changed = await this.db
        .transaction(async tx => {
          const { before, after } = await applyTransition(tx, {
            id,
            action: 'expire',
            now,
          });
          await this.stateEvent(tx, before, after, 'expire');
        })
        .then(
          () => true,
          // decided meanwhile: nothing to expire
          () => false,
        );
      if (changed) expired.push(id);
    }
    return expired;
  }

  /**
   * Claims the oldest transfer a worker may run and leases it to `holder` for `ttlMs` with a new epoch.
   * Returns undefined when there is none (or others claimed every candidate first).
   */
  async claimNext(o: {
    holder: string;
    ttlMs: number;
  }): Promise<
    { transfer: Transfer; lease: Lease; contended: number } | undefined
  > {
    return this.db.transaction(async tx => {
      const claim = await claimNext(tx, { ...o, now: this.now() });
      if (!claim) return undefined;
      const id = claim.lease.transferId;
      if (claim.from === 'running')
        await this.events.append(
          id,
          'warning',
          {
            message: `taken over by ${o.holder}: the lease of ${claim.previousHolder ?? 'the previous worker'} had ended`,
            epoch: claim.lease.epoch,
          },
          tx,
        );
      else
        await this.events.append(
          id,
          'state',
          {
            from: claim.from,
            to: 'running',
            action: 'start',
            worker: o.holder,
          },
          tx,
        );
      return {
        transfer: transferFromRow(await readRow(tx, id)),
        lease: claim.lease,
        contended: claim.contended,
      };
    });
  }

  /** Extends the lease; a ConflictError when it was lost (the worker must stop and not write again). */
  async heartbeat(lease: Lease, ttlMs: number): Promise<Date> {
    const expiresAt = new Date(this.now().getTime() + ttlMs);
    await fencedUpdate(this.db, lease, { lease_expires_at: expiresAt });
    return expiresAt;
  }

  /** Gives the transfer up without changing its state: another worker resumes it from its checkpoint. */
  async handOver(lease: Lease, reason: string): Promise<void> {
    await this.db.transaction(async tx => {
      await releaseLease(tx, lease, this.now());
      await this.events.append(
        lease.transferId,
        'warning',
        { message: `handed over by ${lease.holder}: ${reason}` },
        tx,
      );
    });
  }

  /** Ends the leases whose holders stopped heartbeating, so the transfers can be claimed again. */
  async reapExpiredLeases(): Promise<Lease[]> {
    const now = this.now();
    const reaped: Lease[] = [];
    for (const lease of await expiredLeases(this.db, now)) {
      const done = await this.db.transaction(async tx => {
        if (!(await reapLease(tx, lease, now))) return false;
        await this.events.append(
          lease.transferId,
          'warning',
          { message: `the lease of ${lease.holder} expired` },
          tx,
        );
        return true;
      });
      if (done) reaped.push(lease);
    }
    return reaped;
  }

  /**
   * Stores the engine's checkpoint (never with a secret in it) and the point-of-no-return flag the engine
   * reports with it; from that flag on, cancel is refused and a failure is resumed, not retried.
   */
  async saveCheckpoint(
    lease: Lease,
    checkpoint: TransferCheckpoint,
    o: { pastPointOfNoReturn: boolean },
  ): Promise<void> {
    assertNoSecret(checkpoint, 'the checkpoint');
    if (
      checkpoint.transferId !==
      (await this.get(lease.transferId)).engineTransferId
    )
      throw new InputError(
        `the checkpoint belongs to engine transfer ${checkpoint.transferId}, not to the current attempt of ${lease.transferId}`,
      );
    await fencedUpdate(this.db, lease, {
      checkpoint: JSON.stringify(checkpoint),
      past_point_of_no_return: o.pastPointOfNoReturn,
      updated_at: this.now(),
    });
  }

  /** The phase the engine entered (an event, and the transfer's current phase). */
  async recordPhase(lease: Lease, phase: TransferPhase): Promise<void> {
    await this.fencedWithEvent(lease, { phase }, 'phase', { phase });
  }

  /** Which mode the engine chose (for `auto`) once it planned. */
  async recordChosenMode(lease: Lease, mode: 'copy' | 'rebind'): Promise<void> {
    await fencedUpdate(this.db, lease, {
      chosen_mode: mode,
      updated_at: this.now(),
    });
  }

  /**
   * The progress summary; with `sample` also an event (the worker decides the rate, so the log stays
   * bounded).
   */
  async recordProgress(
    lease: Lease,
    p: ProgressSummary,
    o: { sample: boolean },
  ): Promise<void> {
    const columns = {
      bytes_done: p.bytesDone ?? null,
      bytes_total: p.bytesTotal ?? null,
      files_done: p.filesDone ?? null,
      files_total: p.filesTotal ?? null,
      rate_bytes_per_second: p.rateBytesPerSecond ?? null,
      eta_seconds: p.etaSeconds ?? null,
    };
    if (!o.sample) {
      await fencedUpdate(this.db, lease, {
        ...columns,
        updated_at: this.now(),
      });
      return;
    }
    await this.fencedWithEvent(lease, columns, 'progress', { ...p });
  }

  /** A warning from the run, kept in the log while the lease holds. */
  async recordWarning(lease: Lease, message: string): Promise<void> {
    await this.fencedWithEvent(lease, {}, 'warning', {
      message: redactSecrets(message),
    });
  }

  /** Ends (or, for `stage`, pauses) the run under the lease; the lease ends with it. */
  async finishRun(
    lease: Lease,
    action: WorkerAction,
    outcome: RunOutcome = {},
  ): Promise<Transfer> {
    return this.db.transaction(async tx => {
      const error =
        outcome.error === undefined ? undefined : redactSecrets(outcome.error);
      const columns: Record<string, unknown> = {};
      if (error !== undefined) columns.error = error;
      if (outcome.downtimeMs !== undefined)
        columns.downtime_ms = outcome.downtimeMs;
      if (action === 'ask-again') columns.cancel_requested = false;
      const { before, after } = await applyTransition(tx, {
        id: lease.transferId,
        action,
        lease,
        columns,
        now: this.now(),
      });
      if (error !== undefined)
        await this.events.append(
          lease.transferId,
          'error',
          { message: error },
          tx,
        );
      await this.stateEvent(tx, before, after, action, outcome.details);
      return transferFromRow(after);
    });
  }

  private async fencedWithEvent(
    lease: Lease,
    columns: Record<string, unknown>,
    kind: EventKind,
    payload: Record<string, unknown>,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await fencedUpdate(tx, lease, { ...columns, updated_at: this.now() });
      await this.events.append(lease.transferId, kind, payload, tx);
    });
  }

  private async stateEvent(
    tx: Knex,
    before: TransferRow,
    after: TransferRow,
    action: string,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await this.events.append(
      after.id,
      'state',
      {
        from: before.state,
        to: after.state,
        action,
        attempt: Number(after.attempt),
        ...(after.engine_transfer_id !== before.engine_transfer_id
          ? { engineTransferId: after.engine_transfer_id }
          : {}),
        ...(after.cancel_requested && !before.cancel_requested
          ? { cancelRequested: true }
          : {}),
        ...(details ? { details } : {}),
      },
      tx,
    );
  }

  /** Whether `lease` still holds the transfer (a worker checks before a step it cannot undo). */
  async holds(lease: Lease): Promise<boolean> {
    return holds(await readRow(this.db, lease.transferId), lease);
  }

  /** Throws the lease-lost ConflictError when `lease` no longer holds the transfer. */
  async assertHolds(lease: Lease): Promise<void> {
    const row = await readRow(this.db, lease.transferId);
    if (!holds(row, lease)) throw leaseLost(row, lease);
  }
}
