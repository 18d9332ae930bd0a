import type {
  Plan,
  TransferIntent,
  TransferMode,
  TransferOptions,
  TransferPhase,
} from '../transfer';
import type { TransferState } from './states';

/*
 * What the workflow's routes answer, as the portal receives it: the JSON the backend sends, so every time
 * is an ISO 8601 string (the backend's Dates go through JSON.stringify) and a field the backend leaves
 * undefined is absent. The backend checks at compile time that its answers serialize to exactly these.
 */

/**
 * An ISO 8601 time in UTC as `Date.prototype.toJSON` writes it, e.g. `2026-12-05T10:55:20.123Z`.
 *
 * @public
 */
export type IsoTime = string;

/**
 * The claim a transfer moves, and the catalog entity it belonged to when requested.
 *
 * @public
 */
export interface TransferSourceRef {
  cluster: string;
  namespace: string;
  claim: string;
  /** empty when no single entity claimed it (then only the admins may approve) */
  entityRef: string;
}

/**
 * Where a transfer puts the data: the claim it creates and the entity it will appear under.
 *
 * @public
 */
export interface TransferDestinationRef {
  cluster: string;
  namespace: string;
  claim: string;
  storageClass?: string;
  /** a Kubernetes quantity, when the request asked for a size */
  size?: string;
  entityRef: string;
}

/**
 * The latest progress figures of a transfer's run, each present once the mover reported it.
 *
 * @public
 */
export interface TransferProgressSummary {
  bytesDone?: number;
  bytesTotal?: number;
  filesDone?: number;
  filesTotal?: number;
  rateBytesPerSecond?: number;
  etaSeconds?: number;
}

/**
 * A transfer's options as the backend keeps them: the engine's, and the labels its destination claim gets.
 *
 * @public
 */
export interface StoredTransferOptions extends TransferOptions {
  /** e.g. the `backstage.io/kubernetes-id` that makes the destination claim appear under its entity */
  destinationLabels?: Record<string, string>;
}

/**
 * Where a transfer was asked for: the portal's workflow, or a `NamespaceTransferRequest` of the Kubernetes
 * API that the backend's KEP controller runs (managed through that object, not through the portal).
 *
 * @public
 */
export type TransferRequestedVia = 'portal' | 'kubernetes';

/**
 * The NamespaceTransferRequest a transfer requested through the Kubernetes API is managed through.
 *
 * @public
 */
export interface TransferKubernetesRequest {
  cluster: string;
  namespace: string;
  name: string;
}

/**
 * A transfer as the API lists and returns it (`GET /transfers`, `GET /transfers/{id}`, the answers of a
 * request and of every decision). The engine's checkpoint and the lease of the replica that runs it are
 * the backend's and never sent.
 *
 * @public
 */
export interface TransferSummary {
  id: string;
  /** set when the transfer was requested as part of a batch */
  batchId?: string;
  source: TransferSourceRef;
  destination: TransferDestinationRef;
  /** what the requester asked for; `chosenMode` is what the plan picked */
  requestedMode: TransferMode;
  chosenMode?: 'copy' | 'rebind';
  intent: TransferIntent;
  options: StoredTransferOptions;
  /** the plan the requester saw and the owners approve */
  plan: Plan;
  /**
   * the requester's user entity ref; for a transfer requested through the Kubernetes API, the request object
   * written the same way (`kubernetes:<namespace>/<name>`)
   */
  requester: string;
  requestedVia: TransferRequestedVia;
  /** set when requestedVia is `kubernetes`: no portal decision applies, the request object manages it */
  kubernetesRequest?: TransferKubernetesRequest;
  state: TransferState;
  phase?: TransferPhase;
  /** a cancel was asked while the transfer ran: the worker is rolling it back */
  cancelRequested: boolean;
  /** rolling back would lose data: a cancel is refused, a failure is resumed */
  pastPointOfNoReturn: boolean;
  /** failed before the point of no return without rolling back: resume or cancel it, never retry */
  leftForResume: boolean;
  /** who approved the current request (user entity refs) */
  approvedBy: string[];
  progress: TransferProgressSummary;
  /** 1 for the first run; each retry adds one */
  attempt: number;
  /** the current attempt's id on the clusters: its objects' names and labels derive from it */
  engineTransferId: string;
  /** how long the source's workloads were stopped */
  downtimeMs?: number;
  error?: string;
  createdAt: IsoTime;
  updatedAt: IsoTime;
  /** an undecided request expires at this time */
  expiresAt?: IsoTime;
  /** a staged transfer cuts over on its own at this time */
  cutoverAt?: IsoTime;
  startedAt?: IsoTime;
  /** when the current attempt ended (see ENDED_TRANSFER_STATES) */
  finishedAt?: IsoTime;
  /** the transfer's page in the portal: what notifications and the CSV export link to */
  url: string;
  /** the requester's comment, as given with the request */
  comment?: string;
  /**
   * The decisions the caller may take on this transfer now: ownership (or admin), the permission policy and
   * the state machine all agree. The portal shows only these actions; the API checks again on each.
   */
  allowedActions: TransferDecisionKind[];
}

/**
 * What people decide on a transfer; each is a `POST /transfers/{id}/{kind}` route.
 *
 * @public
 */
export type TransferDecisionKind =
  'approve' | 'reject' | 'cancel' | 'retry' | 'resume' | 'cutover';

/**
 * A recorded decision, with the ownership that allowed it as checked at decision time.
 *
 * @public
 */
export interface TransferDecision {
  id: string;
  transferId: string;
  kind: TransferDecisionKind;
  /** the user entity ref of who decided */
  actor: string;
  comment?: string;
  /** e.g. `{ via: 'owner', of: 'component:default/db', matched: ['group:default/team-payments'] }` */
  ownership: Record<string, unknown>;
  decidedAt: IsoTime;
}

/**
 * Answer of `GET /transfers/{id}`: the transfer and its decisions, oldest first.
 *
 * @public
 */
export interface TransferDetail {
  transfer: TransferSummary;
  decisions: TransferDecision[];
}

/**
 * Answer of `GET /transfers` and `GET /approvals/pending`: one page; `nextCursor` is absent on the last.
 * A page of pending approvals may hold fewer than the limit (what the caller may not approve is left out)
 * and still have a next page.
 *
 * @public
 */
export interface TransferPage {
  items: TransferSummary[];
  /** pass as `cursor` with the same filters and sort to read the next page */
  nextCursor?: string;
}

/**
 * What an entry of a transfer's event log records.
 *
 * @public
 */
export type TransferEventKind =
  'state' | 'phase' | 'progress' | 'decision' | 'warning' | 'error';

/**
 * One entry of a transfer's append-only event log.
 *
 * @public
 */
export interface TransferLogEvent {
  /** grows with every event: the `after` cursor to read on from */
  id: string;
  transferId: string;
  at: IsoTime;
  kind: TransferEventKind;
  /** the kind's facts, e.g. `{ from, to, action, actor }` of a state event */
  payload: Record<string, unknown>;
}

/**
 * Answer of `GET /transfers/{id}/events`: the events after the cursor, in order. There is no next cursor:
 * the last event's id is where to read on from, and fewer events than the limit means none are left now.
 *
 * @public
 */
export interface TransferEventPage {
  events: TransferLogEvent[];
}

/**
 * A batch as stored by `POST /batches`.
 *
 * @public
 */
export interface TransferBatch {
  id: string;
  requester: string;
  source: { cluster: string; namespace: string };
  destinationEntityRef: string;
  comment?: string;
  createdAt: IsoTime;
}

/**
 * Answer of `POST /batches`: the batch and one pending transfer per claim (all stored, or none).
 *
 * @public
 */
export interface TransferBatchResponse {
  batch: TransferBatch;
  transfers: TransferSummary[];
}

/**
 * A place the caller may request a transfer into: a catalog entity they own, on a cluster where its
 * namespace exists.
 *
 * @public
 */
export interface TransferDestinationOption {
  entityRef: string;
  cluster: string;
  namespace: string;
  /** the labels the destination claim will carry so that it appears under the entity */
  labels: Record<string, string>;
}

/**
 * A storage class of a destination cluster.
 *
 * @public
 */
export interface DestinationStorageClass {
  name: string;
  /** the cluster's default class (used when a request names none) */
  isDefault: boolean;
}

/**
 * A destination cluster's storage classes; `error` set (and no classes) when the cluster could not be read.
 *
 * @public
 */
export interface DestinationCluster {
  cluster: string;
  storageClasses: DestinationStorageClass[];
  error?: string;
}

/**
 * Answer of `GET /destinations`.
 *
 * @public
 */
export interface TransferDestinationsResponse {
  destinations: TransferDestinationOption[];
  clusters: DestinationCluster[];
}

/**
 * How many transfers the caller may read are in each state; every state is present, 0 when none.
 *
 * @public
 */
export type TransferStateCounts = Record<TransferState, number>;

/**
 * Answer of `GET /stats/states`.
 *
 * @public
 */
export interface TransferStateCountsResponse {
  counts: TransferStateCounts;
}

/**
 * Bytes that attempts which finished on one UTC day moved.
 *
 * @public
 */
export interface BytesMovedOnDay {
  /** `YYYY-MM-DD`, UTC */
  day: string;
  bytes: number;
  /** how many attempts finished that day having moved bytes */
  transfers: number;
}

/**
 * Answer of `GET /stats/bytes-per-day`: only the days on which something finished, in order.
 *
 * @public
 */
export interface BytesPerDayResponse {
  days: BytesMovedOnDay[];
}

/**
 * Transfers that finished (or were requested, for states that never ran) on one UTC day, by state.
 *
 * @public
 */
export interface TransfersOnDay {
  /** `YYYY-MM-DD`, UTC */
  day: string;
  /** only the states with at least one transfer that day */
  counts: Partial<Record<TransferState, number>>;
}

/**
 * Answer of `GET /stats/transfers-per-day`: only the days with a transfer, in order.
 *
 * @public
 */
export interface TransfersPerDayResponse {
  days: TransfersOnDay[];
}

/**
 * A weekly maintenance window in which staged transfers may cut over.
 *
 * @public
 */
export interface CutoverWindow {
  /** lower-case three-letter days, e.g. `['sat', 'sun']` */
  days: string[];
  /** `HH:MM`, local to `timeZone`; an end at or before the start ends the next day */
  start: string;
  end: string;
  /** an IANA time zone, e.g. `Europe/Berlin` */
  timeZone: string;
}

/**
 * Answer of `GET /me`: what the signed-in user may do in the plugin, for the portal to show the right
 * things (the API still checks every action).
 *
 * @public
 */
export interface TransferCallerProfile {
  /** the user entity ref */
  userEntityRef: string;
  /** named in `namespaceTransfer.admins` (directly or through a group) */
  isAdmin: boolean;
  /** may read every transfer and export the audit CSV */
  canAudit: boolean;
  /** may approve what they requested themselves */
  allowSelfApproval: boolean;
  /** distinct approvals a request needs */
  requiredApprovals: number;
  /** empty: a staged transfer may cut over at any time */
  cutoverWindows: CutoverWindow[];
}

/**
 * The body of every error answer (Backstage's error handler): a 4xx message says what to fix.
 *
 * @public
 */
export interface TransferApiErrorBody {
  error: { name: string; message: string; stack?: string };
  request?: { method: string; url: string };
  response: { statusCode: number };
}
