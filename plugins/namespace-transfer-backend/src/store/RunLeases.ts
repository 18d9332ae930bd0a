import type { Knex } from 'knex';
import { InputError } from '@backstage/errors';
import type {
  Plan,
  TransferCheckpoint,
  TransferPhase,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type { SystemAction } from '../workflow/states';
import type { EventLog } from './EventLog';
import {
  claimNext,
  expiredLeases,
  fencedUpdate,
  reapLease,
  releaseLease,
} from './leases';
import { carriedFromRow, transferFromRow } from './rows';
import { assertNoSecret, redactSecrets } from './secrets';
import { appendStateChange } from './stateEvents';
import { applyTransition, holds, leaseLost, readRow } from './transitions';
import type {
  CarriedProgress,
  EventKind,
  Lease,
  ProgressSummary,
  Transfer,
} from './types';

/** What the worker reports when it ends a run (or, for `stage`, pauses one). */
export interface RunOutcome {
  error?: string;
  downtimeMs?: number;
  /** why, for the event log (e.g. the plan's difference on `ask-again`) */
  details?: Record<string, unknown>;
}

export type WorkerAction = Exclude<SystemAction, 'start' | 'expire'>;

/** What a run's end changes besides its state (see finishRunWith). */
export interface RunEndColumns {
  /** the fresh plan (ask-again: what the owners approve next, and what the next run is compared with) */
  plan?: Plan;
  /** stage: when the cut over is due (a requested time moved into a maintenance window) */
  cutoverAt?: Date;
  /**
   * fail: the run undid its point of no return (a rebind gave its volume back to the source claim), so the
   * flag goes and the failure is retried, not resumed (the only write that clears it)
   */
  givenBack?: true;
  /** fail: the run did not roll back (a cluster did not answer): resume or cancel, not retry */
  leftForResume?: true;
}

/**
 * The worker's side of the store: claiming transfers under a lease with an epoch, heartbeating and handing
 * them over, and every write of a run (checkpoint, phase, progress, its end), each refused once the lease
 * is no longer the caller's (fencing).
 */
export class RunLeases {
  constructor(
    private readonly db: Knex,
    private readonly events: EventLog,
    private readonly now: () => Date,
  ) {}

  /**
   * Claims the oldest transfer a worker may run and leases it to `holder` for `ttlMs` with a new epoch.
   * Returns undefined when there is none (or others claimed every candidate first).
   */
  async claimNext(o: {
    holder: string;
    ttlMs: number;
    /** clusters at their concurrency limit (the worker's per-cluster limit) */
    skipClusters?: string[];
  }): Promise<
    | {
        transfer: Transfer;
        /** what the attempt's finished passes moved: the run counts its passes on from there */
        carried: CarriedProgress;
        lease: Lease;
        contended: number;
        /** the state it was claimed from: approved, staged, or running (a take-over) */
        from: Transfer['state'];
      }
    | undefined
  > {
    return this.db.transaction(async tx => {
      const claim = await claimNext(tx, { ...o, now: this.now() });
      if (!claim) return undefined;
      const id = claim.lease.transferId;
      const row = await readRow(tx, id);
      const transfer = transferFromRow(row);
      // every event of a run names its attempt and engine id: the log of a retried transfer reads apart
      const attempt = {
        attempt: transfer.attempt,
        engineTransferId: transfer.engineTransferId,
      };
      if (claim.from === 'running')
        await this.events.append(
          id,
          'warning',
          {
            message: `taken over by ${o.holder}: the lease of ${claim.previousHolder ?? 'the previous worker'} had ended`,
            epoch: claim.lease.epoch,
            ...attempt,
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
            ...attempt,
          },
          tx,
        );
      return {
        transfer,
        carried: carriedFromRow(row),
        lease: claim.lease,
        contended: claim.contended,
        from: claim.from as Transfer['state'],
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
   * reports with it; from that flag on, cancel is refused and a failure is resumed, not retried. With
   * `carried`, what the finished passes moved as of it: a take-over from it does not run them again.
   */
  async saveCheckpoint(
    lease: Lease,
    checkpoint: TransferCheckpoint,
    o: { pastPointOfNoReturn: boolean; carried?: CarriedProgress },
  ): Promise<void> {
    assertNoSecret(checkpoint, 'the checkpoint');
    // the epoch fences other workers; this catches a checkpoint of an earlier attempt of the same transfer
    const row = await readRow(this.db, lease.transferId);
    if (checkpoint.transferId !== row.engine_transfer_id)
      throw new InputError(
        `the checkpoint belongs to engine transfer ${checkpoint.transferId}, not to the current attempt of ${lease.transferId}`,
      );
    await fencedUpdate(this.db, lease, {
      checkpoint: JSON.stringify(checkpoint),
      // once committed always committed (until a retry starts a new attempt): a later report cannot undo it
      ...(o.pastPointOfNoReturn ? { past_point_of_no_return: true } : {}),
      ...(o.carried
        ? {
            bytes_carried: o.carried.bytes ?? null,
            files_carried: o.carried.files ?? null,
          }
        : {}),
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
   * The progress summary, and with `carried` what the attempt's finished passes moved; with `sample` also
   * an event (the worker decides the rate, so the log stays bounded).
   */
  async recordProgress(
    lease: Lease,
    p: ProgressSummary,
    o: { sample: boolean; carried?: CarriedProgress },
  ): Promise<void> {
    const columns: Record<string, unknown> = {
      bytes_done: p.bytesDone ?? null,
      bytes_total: p.bytesTotal ?? null,
      files_done: p.filesDone ?? null,
      files_total: p.filesTotal ?? null,
      rate_bytes_per_second: p.rateBytesPerSecond ?? null,
      eta_seconds: p.etaSeconds ?? null,
    };
    if (o.carried)
      Object.assign(columns, {
        bytes_carried: o.carried.bytes ?? null,
        files_carried: o.carried.files ?? null,
      });
    if (!o.sample) {
      await fencedUpdate(this.db, lease, {
        ...columns,
        updated_at: this.now(),
      });
      return;
    }
    await this.fencedWithEvent(lease, columns, 'progress', { ...p });
  }

  /**
   * The plan the run goes by (a first run's fresh plan, equal in substance to the approved one): a resume
   * must continue with it, since a fresh plan would find the run's own objects and differ.
   */
  async recordRunPlan(lease: Lease, plan: Plan): Promise<void> {
    assertNoSecret(plan, 'the plan');
    await fencedUpdate(this.db, lease, {
      run_plan: JSON.stringify(plan),
      updated_at: this.now(),
    });
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
    return this.finishRunWith(lease, action, outcome, {});
  }

  /** finishRun, also storing what the end changes: a new plan (ask-again), a cut over time (stage). */
  async finishRunWith(
    lease: Lease,
    action: WorkerAction,
    outcome: RunOutcome,
    set: RunEndColumns,
  ): Promise<Transfer> {
    if (set.plan) assertNoSecret(set.plan, 'the plan');
    return this.db.transaction(async tx => {
      const error =
        outcome.error === undefined ? undefined : redactSecrets(outcome.error);
      // the run's last pass is finished (an abandoned run writes no end, so the run that takes over and
      // re-reads its pass from the start counts it once): the next run of the attempt counts on from here
      const columns: Record<string, unknown> = {
        bytes_carried: tx.ref('bytes_done'),
        files_carried: tx.ref('files_done'),
      };
      // a new plan to approve: the next run plans afresh against it
      if (set.plan)
        Object.assign(columns, {
          plan: JSON.stringify(set.plan),
          run_plan: null,
        });
      if (set.cutoverAt) columns.cutover_at = set.cutoverAt;
      if (set.givenBack) columns.past_point_of_no_return = false;
      if (set.leftForResume) columns.left_for_resume = true;
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
      await appendStateChange(
        this.events,
        tx,
        before,
        after,
        action,
        outcome.details,
      );
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
