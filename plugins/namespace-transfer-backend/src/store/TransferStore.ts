import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { DecisionKind } from '../workflow/states';
import { DecisionStore, NewDecision } from './DecisionStore';
import { EventLog, ReadEventsRequest } from './EventLog';
import { KepTransfers } from './KepTransfers';
import { listExportRows, listTransfers } from './listTransfers';
import { migrateToLatest } from './migrate';
import { transferColumns } from './newTransferColumns';
import { batchFromRow, transferFromRow, TransferRow } from './rows';
import { RunLeases } from './RunLeases';
import { assertNoSecret } from './secrets';
import { appendStateChange } from './stateEvents';
import { bytesMovedPerDay, countsByState, transfersPerDay } from './stats';
import { applyTransition, readRow } from './transitions';
import type {
  Batch,
  ExportRow,
  ListPage,
  ListRequest,
  NewBatch,
  NewTransfer,
  Transfer,
  TransferFilter,
} from './types';

export interface TransferStoreOptions {
  /** the clock (tests move it to expire leases and requests without waiting) */
  now?: () => Date;
}

/**
 * The job store over knex (SQLite or PostgreSQL): transfers and batches, the decisions taken on them, the
 * event log, and the leases workers run transfers under. Every change of state is a conditional update
 * (see transitions.ts); the worker's side, under leases, is `runs` (RunLeases.ts).
 */
export class TransferStore {
  readonly events: EventLog;
  /** what workers do: claim, heartbeat, hand over, and write a run's progress under their lease */
  readonly runs: RunLeases;
  /** what the KEP bridge records of the transfers the KEP controller runs (never leased, never claimed) */
  readonly kep: KepTransfers;
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
    this.runs = new RunLeases(db, this.events, this.now);
    this.kep = new KepTransfers(db, this.events, this.now);
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
    tx: Knex.Transaction,
    t: NewTransfer,
    batchId?: string,
  ): Promise<string> {
    assertNoSecret(t.options, 'the transfer options');
    assertNoSecret(t.plan, 'the plan');
    const id = randomUUID();
    const engineTransferId = randomUUID();
    await tx('transfers').insert(
      transferColumns(t, { id, batchId, engineTransferId, now: this.now() }),
    );
    await this.events.append(
      id,
      'state',
      {
        to: 'pending-approval',
        action: 'request',
        actor: t.requester,
        attempt: 1,
        engineTransferId,
      },
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

  /** list, as the audit export's rows (its columns only, under its names) */
  listExportRows(request: ListRequest = {}): Promise<ListPage<ExportRow>> {
    return listExportRows(this.db, request);
  }

  countsByState(filter?: TransferFilter) {
    return countsByState(this.db, filter);
  }

  bytesMovedPerDay(range: { from: Date; to: Date }) {
    return bytesMovedPerDay(this.db, range);
  }

  transfersPerDay(range: { from: Date; to: Date }) {
    return transfersPerDay(this.db, range);
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
   * An approval approves once `requiredApprovals` distinct people have approved (config; default 1).
   */
  async decide(
    d: NewDecision & { kind: DecisionKind },
    o: { requiredApprovals?: number } = {},
  ): Promise<Transfer> {
    return this.db.transaction(async tx => {
      const now = this.now();
      const { before, after } = await applyTransition(tx, {
        id: d.transferId,
        action: d.kind,
        approval: { actor: d.actor, required: o.requiredApprovals ?? 1 },
        now,
      });
      await this.decisionStore.add(d, now, tx);
      await this.events.append(
        d.transferId,
        'decision',
        { kind: d.kind, actor: d.actor, comment: d.comment ?? null },
        tx,
      );
      // an approval short of the required number changes nothing but the approvers
      if (!(d.kind === 'approve' && after.state === before.state))
        await appendStateChange(this.events, tx, before, after, d.kind);
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
          await appendStateChange(this.events, tx, before, after, 'expire');
        })
        .then(
          () => true,
          (e: unknown) => {
            // decided meanwhile: nothing to expire; anything else is the janitor's failure to see
            if (e instanceof ConflictError) return false;
            throw e;
          },
        );
      if (changed) expired.push(id);
    }
    return expired;
  }
}
