import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type {
  TransferCheckpoint,
  TransferPhase,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type {
  KepOutcome,
  KepTransfer,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import type { EventLog } from './EventLog';
import { DecisionStore } from './DecisionStore';
import { kepApprover, kepTransferColumns, type KepEntityRefs } from './kepRows';
import { transferFromRow, type TransferRow } from './rows';
import { assertNoSecret, redactSecrets } from './secrets';
import { appendStateChange } from './stateEvents';
import { applyTransition, readRow } from './transitions';
import type { TransferState } from '../workflow/states';
import type { Transfer } from './types';

/** A recorded change of state, for the caller to tell people about (signals, notifications). */
export interface KepStateChange {
  transfer: Transfer;
  from?: TransferState;
}

/**
 * The store's side of the transfers the KEP controller runs (requested through the Kubernetes API). Their
 * rows are found by the request's uid; they are `running` without a lease while the controller runs them,
 * so the worker never claims them (leases.ts). Every write is conditional on the row still being the
 * attempt's, so a late report of an attempt that ended cannot undo what came after it.
 */
export class KepTransfers {
  private readonly decisions: DecisionStore;

  constructor(
    private readonly db: Knex,
    private readonly events: EventLog,
    private readonly now: () => Date,
  ) {
    this.decisions = new DecisionStore(db);
  }

  /**
   * An attempt starts: the first makes the row (with the approval as its decision), a later one (a retry,
   * a restarted controller, a new leader) continues the same row. An upsert on the request's uid: two
   * replicas racing to record it make one row.
   */
  async recordStart(
    t: KepTransfer,
    entities: KepEntityRefs = {},
  ): Promise<KepStateChange> {
    try {
      return await this.db.transaction(tx => this.start(tx, t, entities));
    } catch (e) {
      // the other replica inserted first (unique uid): it is a continuation now
      if (!(await this.rowOf(this.db, t))) throw e;
      return this.db.transaction(tx => this.start(tx, t, entities));
    }
  }

  /** The phase the engine entered, while the attempt runs. */
  async recordPhase(
    t: KepTransfer,
    phase: TransferPhase,
  ): Promise<Transfer | undefined> {
    return this.whileRunning(t, { phase }, 'phase', { phase });
  }

  /** A warning of the run (or of the controller: a retry, a hand-over), while the attempt runs. */
  async recordWarning(
    t: KepTransfer,
    message: string,
  ): Promise<Transfer | undefined> {
    return this.whileRunning(t, {}, 'warning', {
      message: redactSecrets(message),
      attempt: t.attempt,
    });
  }

  /** The checkpoint the controller stored in the request's status, and the point of no return with it. */
  async recordCheckpoint(
    t: KepTransfer,
    c: TransferCheckpoint,
  ): Promise<Transfer | undefined> {
    assertNoSecret(c, 'the checkpoint');
    return this.db.transaction(async tx => {
      const updated = await running(tx, t).update({
        checkpoint: JSON.stringify(c),
        ...(c.pastPointOfNoReturn ? { past_point_of_no_return: true } : {}),
        updated_at: this.now(),
      });
      return updated === 1 ? this.transferOf(tx, t) : undefined;
    });
  }

  /**
   * How the attempt ended: succeeded or failed end the transfer; a hand-over leaves it running for the
   * next run (a warning says so). Entity refs fill what the start could not name. Undefined when the row is no longer this attempt's running one.
   */
  async recordEnd(
    t: KepTransfer,
    o: KepOutcome,
    entities: KepEntityRefs = {},
  ): Promise<KepStateChange | undefined> {
    if (o.state === 'handedOver') {
      // the checkpoint hook recorded every checkpoint as it reached the request's status; writing the
      // outcome's copy again could land after the next leader's newer ones and take the record back
      const transfer = await this.recordWarning(
        t,
        'handed over: the controller stopped before the point of no return (or lost its leadership); the next run resumes from the checkpoint',
      );
      return transfer && { transfer };
    }
    return this.db.transaction(async tx => {
      const row = await this.rowOf(tx, t);
      if (!row || row.state !== 'running' || Number(row.attempt) !== t.attempt)
        return undefined;
      const checkpoint = o.checkpoint;
      if (checkpoint) assertNoSecret(checkpoint, 'the checkpoint');
      const columns: Record<string, unknown> = {
        // the destination claim exists now, so its entity may be known only now
        ...fillEntities(row, entities),
        ...(checkpoint ? { checkpoint: JSON.stringify(checkpoint) } : {}),
        ...(checkpoint?.pastPointOfNoReturn
          ? { past_point_of_no_return: true }
          : {}),
      };
      const error =
        o.state === 'failed'
          ? redactSecrets(`${o.reason}: ${o.message}`)
          : undefined;
      if (o.state === 'succeeded') columns.downtime_ms = o.downtimeMs;
      if (error !== undefined) columns.error = error;
      const action = o.state === 'succeeded' ? 'succeed' : 'fail';
      const { before, after } = await applyTransition(tx, {
        id: row.id,
        action,
        columns,
        now: this.now(),
      });
      if (error !== undefined)
        await this.events.append(
          row.id,
          'error',
          { message: error, ...(o.state === 'failed' && { reason: o.reason }) },
          tx,
        );
      await appendStateChange(this.events, tx, before, after, action);
      return { transfer: transferFromRow(after), from: 'running' };
    });
  }

  private async start(
    tx: Knex.Transaction,
    t: KepTransfer,
    entities: KepEntityRefs,
  ): Promise<KepStateChange> {
    const row = await this.rowOf(tx, t);
    if (!row) return this.insert(tx, t, entities);
    const now = this.now();
    const from = row.state as TransferState;
    const ended = from !== 'running';
    const updated = await tx('transfers')
      .where({ id: row.id, state: row.state, attempt: row.attempt })
      .update({
        state: 'running',
        attempt: t.attempt,
        updated_at: now,
        // a run after an end (the request was acted on again) is a new start of the same transfer
        ...(ended ? { error: null, finished_at: null, started_at: now } : {}),
        ...fillEntities(row, entities),
      });
    if (updated !== 1)
      throw new Error(
        `the record of ${t.request.namespace}/${t.request.name} changed while attempt ${t.attempt} started; it is recorded again`,
      );
    const after = await readRow(tx, row.id);
    if (ended)
      await appendStateChange(this.events, tx, row, after, 'start', {
        worker: 'kep-controller',
      });
    else
      await this.events.append(
        row.id,
        'warning',
        {
          message: resumeMessage(t),
          attempt: t.attempt,
          engineTransferId: t.id,
        },
        tx,
      );
    return { transfer: transferFromRow(after), from };
  }

  private async insert(
    tx: Knex.Transaction,
    t: KepTransfer,
    entities: KepEntityRefs,
  ): Promise<KepStateChange> {
    const id = randomUUID();
    const now = this.now();
    await tx('transfers').insert(kepTransferColumns(t, { id, now, entities }));
    if (t.approval) {
      const actor = kepApprover(t.approval);
      await this.decisions.add(
        {
          transferId: id,
          kind: 'approve',
          actor,
          ownership: {
            via: 'kubernetes',
            approval: { ...t.approval, cluster: t.cluster },
          },
        },
        now,
        tx,
      );
      await this.events.append(
        id,
        'decision',
        { kind: 'approve', actor, comment: null },
        tx,
      );
    }
    await this.events.append(
      id,
      'state',
      {
        to: 'running',
        action: 'start',
        worker: 'kep-controller',
        requestedVia: 'kubernetes',
        request: { cluster: t.cluster, ...t.request },
        attempt: t.attempt,
        engineTransferId: t.id,
        ...(t.resumedFrom && { resumedFrom: t.resumedFrom.phase }),
      },
      tx,
    );
    return { transfer: transferFromRow(await readRow(tx, id)) };
  }

  private async whileRunning(
    t: KepTransfer,
    columns: Record<string, unknown>,
    kind: 'phase' | 'warning',
    payload: Record<string, unknown>,
  ): Promise<Transfer | undefined> {
    return this.db.transaction(async tx => {
      const updated = await running(tx, t).update({
        ...columns,
        updated_at: this.now(),
      });
      if (updated !== 1) return undefined;
      const transfer = await this.transferOf(tx, t);
      await this.events.append(transfer.id, kind, payload, tx);
      return transfer;
    });
  }

  private async transferOf(tx: Knex, t: KepTransfer): Promise<Transfer> {
    return transferFromRow((await this.rowOf(tx, t))!);
  }

  private rowOf(db: Knex, t: KepTransfer): Promise<TransferRow | undefined> {
    return db<TransferRow>('transfers')
      .where({ kep_request_uid: t.requestUid })
      .first();
  }
}

/** The row of the request while it runs (not after its end: a late report is dropped). */
function running(tx: Knex, t: KepTransfer) {
  return tx('transfers').where({
    kep_request_uid: t.requestUid,
    requested_via: 'kubernetes',
    state: 'running',
    attempt: t.attempt,
  });
}

/** Entity refs found now for a row that had none when first recorded (the catalog did not answer then). */
function fillEntities(
  row: TransferRow,
  entities: KepEntityRefs,
): Record<string, unknown> {
  return {
    ...(!row.source_entity_ref && entities.source
      ? { source_entity_ref: entities.source }
      : {}),
    ...(!row.destination_entity_ref && entities.destination
      ? { destination_entity_ref: entities.destination }
      : {}),
  };
}

function resumeMessage(t: KepTransfer): string {
  const from = t.resumedFrom
    ? ` from its checkpoint (${t.resumedFrom.phase}, ${t.resumedFrom.completedSteps.length} steps done)`
    : '';
  return `attempt ${t.attempt} of NamespaceTransferRequest ${t.request.namespace}/${t.request.name} started${from}`;
}
