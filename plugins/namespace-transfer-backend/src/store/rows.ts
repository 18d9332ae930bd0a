import type {
  KubernetesRequestRef,
  CarriedProgress,
  ExportRow,
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

/** The request a kubernetes transfer is managed through: stored as namespace/name, on the source's cluster. */
function kubernetesRequestOf(r: TransferRow): KubernetesRequestRef | undefined {
  if (r.requested_via !== 'kubernetes' || !r.kubernetes_request)
    return undefined;
  const [namespace, name] = String(r.kubernetes_request).split('/');
  return { cluster: String(r.source_cluster), namespace, name };
}

export function recordFromRow(r: TransferRow): TransferRecord {
  return compact<TransferRecord>({
    id: r.id,
    requestedVia: r.requested_via === 'kubernetes' ? 'kubernetes' : 'portal',
    kubernetesRequest: kubernetesRequestOf(r),
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

/** What the attempt's finished passes moved (see CarriedProgress). */
export function carriedFromRow(r: TransferRow): CarriedProgress {
  return compact<CarriedProgress>({
    bytes: toNumber(r.bytes_carried),
    files: toNumber(r.files_carried),
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

/**
 * The audit export's columns, each under the CSV's name for it (knex's `{ alias: column }` quotes the
 * alias, so PostgreSQL keeps its case), and the time of the last change, which a cursor may sort by.
 */
export const EXPORT_COLUMNS: Record<keyof ExportRow, string> = {
  id: 'id',
  batchId: 'batch_id',
  state: 'state',
  phase: 'phase',
  requester: 'requester',
  approvedBy: 'approved_by',
  sourceCluster: 'source_cluster',
  sourceNamespace: 'source_namespace',
  sourceClaim: 'source_claim',
  sourceEntity: 'source_entity_ref',
  destinationCluster: 'destination_cluster',
  destinationNamespace: 'destination_namespace',
  destinationClaim: 'destination_claim',
  destinationEntity: 'destination_entity_ref',
  requestedMode: 'requested_mode',
  chosenMode: 'chosen_mode',
  intent: 'intent',
  attempt: 'attempt',
  bytesDone: 'bytes_done',
  downtimeMs: 'downtime_ms',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  error: 'error',
  comment: 'comment',
  requestedVia: 'requested_via',
};

function isoTime(v: DbValue, column: string): string {
  return requiredDate(v, column).toISOString();
}

function nullableIsoTime(v: DbValue, column: string): string | null {
  return v === null || v === undefined ? null : isoTime(v, column);
}

function nullableNumber(v: DbValue): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/**
 * A row selected by EXPORT_COLUMNS made the same on both databases (times, bigint strings, the approvers'
 * JSON), in place: a new object per row, for each of 100,000 rows, was what V8 learnt to allocate
 * straight in its old space (they live while their page is written), which grew the backend by 150 MiB.
 */
export function exportRowFromRow(r: TransferRow): ExportRow {
  r.approvedBy = JSON.parse(String(r.approvedBy));
  r.attempt = Number(r.attempt);
  r.bytesDone = nullableNumber(r.bytesDone);
  r.downtimeMs = nullableNumber(r.downtimeMs);
  r.createdAt = isoTime(r.createdAt, 'created_at');
  r.updatedAt = isoTime(r.updatedAt, 'updated_at');
  r.startedAt = nullableIsoTime(r.startedAt, 'started_at');
  r.finishedAt = nullableIsoTime(r.finishedAt, 'finished_at');
  return r as unknown as ExportRow;
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
