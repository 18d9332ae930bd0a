import type {
  Plan,
  TransferCheckpoint,
  TransferIntent,
  TransferMode,
  StoredTransferOptions,
  TransferPhase,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type { DecisionKind, TransferState } from '../workflow/states';

/**
 * What a request names for one PVC; the store adds the workflow's fields.
 *
 * @public
 */
export interface NewTransfer {
  source: {
    cluster: string;
    namespace: string;
    claim: string;
    entityRef: string;
  };
  destination: {
    cluster: string;
    namespace: string;
    claim: string;
    storageClass?: string;
    size?: string;
    entityRef: string;
  };
  requestedMode: TransferMode;
  intent: TransferIntent;
  /** the engine's options and the labels the destination claim gets (no column of their own) */
  options: StoredTransferOptions;
  /** the plan the requester saw: approvers decide on it, the worker compares a fresh plan with it */
  plan: Plan;
  requester: string;
  /** why the requester asks, as given with the request (a batch's comment goes to each of its transfers) */
  comment?: string;
  expiresAt?: Date;
  cutoverAt?: Date;
}

export interface NewBatch {
  requester: string;
  source: { cluster: string; namespace: string };
  destinationEntityRef: string;
  comment?: string;
}

export interface Batch extends NewBatch {
  id: string;
  createdAt: Date;
}

/** @public */
export interface ProgressSummary {
  bytesDone?: number;
  bytesTotal?: number;
  filesDone?: number;
  filesTotal?: number;
  rateBytesPerSecond?: number;
  etaSeconds?: number;
}

/**
 * What the finished passes of the current attempt moved (the summary also counts the pass in flight): where
 * the next run of the attempt starts counting from. A run that ends with an outcome finished its last pass;
 * one abandoned (a hand-over, a lost lease, a crash) did not, and the run that takes over re-reads that
 * pass from its start.
 */
export interface CarriedProgress {
  bytes?: number;
  files?: number;
}

export interface Lease {
  transferId: string;
  holder: string;
  epoch: number;
}

/**
 * Where a transfer was asked for: the portal's workflow, or a NamespaceTransferRequest of the Kubernetes
 * API that the backend's KEP controller runs (managed there, never by the portal's decisions or worker).
 *
 * @public
 */
export type RequestedVia = 'portal' | 'kubernetes';

/** @public */
export interface KubernetesRequestRef {
  cluster: string;
  namespace: string;
  name: string;
}

/** @public */
export interface Transfer extends NewTransfer {
  id: string;
  requestedVia: RequestedVia;
  /** the NamespaceTransferRequest the transfer is managed through (requestedVia kubernetes) */
  kubernetesRequest?: KubernetesRequestRef;
  batchId?: string;
  chosenMode?: 'copy' | 'rebind';
  state: TransferState;
  phase?: TransferPhase;
  cancelRequested: boolean;
  pastPointOfNoReturn: boolean;
  /**
   * failed before the point of no return without rolling back (a cluster did not answer): its objects and
   * stopped workloads are on the clusters; resumed or cancelled, never retried
   */
  leftForResume: boolean;
  /**
   * the plan the current attempt runs by (its own fresh plan, equal in substance to `plan`): a resume
   * continues with it; `plan` stays what the owners approved
   */
  runPlan?: Plan;
  /** who approved the current request for approval (distinct; several when config requires it) */
  approvedBy: string[];
  progress: ProgressSummary;
  attempt: number;
  /** the engine's id of the current attempt (object names and labels on the clusters derive from it) */
  engineTransferId: string;
  downtimeMs?: number;
  checkpoint?: TransferCheckpoint;
  lease?: { holder?: string; epoch: number; expiresAt?: Date };
  error?: string;
  createdAt: Date;
  updatedAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
}

export interface Decision {
  id: string;
  transferId: string;
  kind: DecisionKind;
  actor: string;
  comment?: string;
  /** the ownership that allowed the decision, as checked at decision time (e.g. the owner refs matched) */
  ownership: Record<string, unknown>;
  decidedAt: Date;
}

export const EVENT_KINDS = [
  'state',
  'phase',
  'progress',
  'decision',
  'warning',
  'error',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface TransferEvent {
  /** monotonic: the cursor to read on from */
  id: string;
  transferId: string;
  at: Date;
  kind: EventKind;
  payload: Record<string, unknown>;
}

export type SortField = 'createdAt' | 'updatedAt' | 'state' | 'requester';

export interface TransferFilter {
  state?: TransferState[];
  /** either side's cluster */
  cluster?: string;
  /** either side's namespace */
  namespace?: string;
  requester?: string;
  /** transfers this user (entity ref) approved */
  approver?: string;
  /** either side's catalog entity, any of these */
  entityRefs?: string[];
  /** the source's catalog entity, any of these (what waits for an owner's approval) */
  sourceEntityRefs?: string[];
  batchId?: string;
  /**
   * Only what this user may read without the audit permission: what they requested, and what moves from
   * or to an entity they own (their ownership, resolved by the caller at request time).
   */
  visibleTo?: { userRef: string; ownedEntityRefs: string[] };
  createdAfter?: Date;
  createdBefore?: Date;
  requestedVia?: RequestedVia;
}

export interface ListRequest {
  filter?: TransferFilter;
  sort?: { field: SortField; order: 'asc' | 'desc' };
  limit?: number;
  /** opaque, from a previous page's nextCursor */
  cursor?: string;
}

export interface ListPage<T = Transfer> {
  items: T[];
  nextCursor?: string;
}

/**
 * A transfer without its large JSON columns (the plans, the options, the checkpoint): what an audit
 * export reads for each of many rows.
 *
 * @public
 */
export type TransferRecord = Omit<
  Transfer,
  'plan' | 'runPlan' | 'checkpoint' | 'options'
>;

/**
 * One transfer as the audit export reads it: the export's columns under the names the CSV gives them,
 * as the store's own values (null where a column is empty, times as ISO strings).
 */
export type ExportRow = {
  id: string;
  batchId: string | null;
  state: TransferState;
  phase: TransferPhase | null;
  requester: string;
  approvedBy: string[];
  sourceCluster: string;
  sourceNamespace: string;
  sourceClaim: string;
  sourceEntity: string;
  destinationCluster: string;
  destinationNamespace: string;
  destinationClaim: string;
  destinationEntity: string;
  requestedMode: TransferMode;
  chosenMode: 'copy' | 'rebind' | null;
  intent: TransferIntent;
  attempt: number;
  bytesDone: number | null;
  downtimeMs: number | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  comment: string | null;
  requestedVia: RequestedVia;
};
