import type {
  Transfer,
  TransferEvent,
  TransferRecord,
  Decision,
  Batch,
} from './types';

/** A row of `transfers` as the database hands it back (types differ between SQLite and PostgreSQL). */
export type TransferRow = Record<string, unknown> & { id: string };

type DbValue = unknown;

/**
 * SQLite (through knex's better-sqlite3 client) stores a Date as epoch milliseconds, PostgreSQL returns
 * a Date; both are read back as a Date.
 */
export function toDate(v: DbValue): Date | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v);
  return new Date(String(v));
}

function requiredDate(v: DbValue, column: string): Date {
  const d = toDate(v);
  if (!d || Number.isNaN(d.getTime()))
    throw new Error(`the store's ${column} is not a time: ${String(v)}`);
  return d;
}

/** PostgreSQL returns bigint columns as strings (they may exceed 2^53); our counts never do. */
function toNumber(v: DbValue): number | undefined {
  if (v === null || v === undefined) return undefined;
  return Number(v);
}

/** SQLite has no boolean: it answers 0 or 1. */
function toBoolean(v: DbValue): boolean {
  return v === true || v === 1 || v === '1';
}

function optional<T>(v: DbValue): T | undefined {
  return v === null || v === undefined ? undefined : (v as T);
}

function json<T>(v: DbValue): T | undefined {
  return v === null || v === undefined ? undefined : JSON.parse(String(v));
}

/**
 * Leaves out what is undefined, so a summary compares and serialises without empty keys. A loop, not
 * Object.entries/fromEntries: their pair arrays were a third of what a 100,000-row export allocated.
 */
function compact<T extends object>(o: T): T {
  const kept: Record<string, unknown> = {};
  for (const key in o) {
    if (o[key] !== undefined) kept[key] = o[key];
  }
  return kept as T;
}

/** The columns of a TransferRecord: every one but the large JSON ones. */
export const RECORD_COLUMNS = [
  'id',
  'batch_id',
  'source_cluster',
  'source_namespace',
  'source_claim',
  'source_entity_ref',
  'destination_cluster',
  'destination_namespace',
  'destination_claim',
  'destination_storage_class',
  'destination_size',
  'destination_entity_ref',
  'requested_mode',
  'chosen_mode',
  'intent',
  'requester',
  'comment',
  'state',
  'phase',
  'cancel_requested',
  'past_point_of_no_return',
  'left_for_resume',
  'approved_by',
  'bytes_done',
  'bytes_total',
  'files_done',
  'files_total',
  'rate_bytes_per_second',
  'eta_seconds',
  'attempt',
  'engine_transfer_id',
  'downtime_ms',
  'lease_holder',
  'lease_epoch',
  'lease_expires_at',
  'error',
  'created_at',
  'updated_at',
  'started_at',
  'finished_at',
  'expires_at',
  'cutover_at',
] as const;

export function recordFromRow(r: TransferRow): TransferRecord {
  return compact<TransferRecord>({
    id: r.id,
    batchId: optional(r.batch_id),
    source: {
      cluster: String(r.source_cluster),
      namespace: String(r.source_namespace),
      claim: String(r.source_claim),
      entityRef: String(r.source_entity_ref),
    },
    destination: compact({
      cluster: String(r.destination_cluster),
      namespace: String(r.destination_namespace),
      claim: String(r.destination_claim),
      storageClass: optional<string>(r.destination_storage_class),
      size: optional<string>(r.destination_size),
      entityRef: String(r.destination_entity_ref),
    }),
    requestedMode: r.requested_mode as Transfer['requestedMode'],
    chosenMode: optional(r.chosen_mode),
    intent: r.intent as Transfer['intent'],
    requester: String(r.requester),
    comment: optional(r.comment),
    state: r.state as Transfer['state'],
    phase: optional(r.phase),
    cancelRequested: toBoolean(r.cancel_requested),
    pastPointOfNoReturn: toBoolean(r.past_point_of_no_return),
    leftForResume: toBoolean(r.left_for_resume),
    approvedBy: json<string[]>(r.approved_by) ?? [],
    progress: compact({
      bytesDone: toNumber(r.bytes_done),
      bytesTotal: toNumber(r.bytes_total),
      filesDone: toNumber(r.files_done),
      filesTotal: toNumber(r.files_total),
      rateBytesPerSecond: toNumber(r.rate_bytes_per_second),
      etaSeconds: toNumber(r.eta_seconds),
    }),
    attempt: Number(r.attempt),
    engineTransferId: String(r.engine_transfer_id),
    downtimeMs: toNumber(r.downtime_ms),
    lease: compact({
      holder: optional<string>(r.lease_holder),
      epoch: Number(r.lease_epoch),
      expiresAt: toDate(r.lease_expires_at),
    }),
    error: optional(r.error),
    createdAt: requiredDate(r.created_at, 'created_at'),
    updatedAt: requiredDate(r.updated_at, 'updated_at'),
    startedAt: toDate(r.started_at),
    finishedAt: toDate(r.finished_at),
    expiresAt: toDate(r.expires_at),
    cutoverAt: toDate(r.cutover_at),
  });
}

export function transferFromRow(r: TransferRow): Transfer {
  return compact<Transfer>({
    ...recordFromRow(r),
    options: json(r.options) ?? {},
    plan: json(r.plan)!,
    runPlan: json(r.run_plan),
    checkpoint: json(r.checkpoint),
  });
}

export function batchFromRow(r: Record<string, unknown>): Batch {
  return compact<Batch>({
    id: String(r.id),
    requester: String(r.requester),
    source: {
      cluster: String(r.source_cluster),
      namespace: String(r.source_namespace),
    },
    destinationEntityRef: String(r.destination_entity_ref),
    comment: optional(r.comment),
    createdAt: requiredDate(r.created_at, 'created_at'),
  });
}

export function decisionFromRow(r: Record<string, unknown>): Decision {
  return compact<Decision>({
    id: String(r.id),
    transferId: String(r.transfer_id),
    kind: r.kind as Decision['kind'],
    actor: String(r.actor),
    comment: optional(r.comment),
    ownership: json(r.ownership) ?? {},
    decidedAt: requiredDate(r.decided_at, 'decided_at'),
  });
}

export function eventFromRow(r: Record<string, unknown>): TransferEvent {
  return {
    id: String(r.id),
    transferId: String(r.transfer_id),
    at: requiredDate(r.at, 'at'),
    kind: r.kind as TransferEvent['kind'],
    payload: json(r.payload) ?? {},
  };
}
