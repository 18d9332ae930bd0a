import type {
  BytesPerDayResponse,
  Plan,
  TransferBatchResponse,
  TransferDecisionKind,
  TransferDestinationsResponse,
  TransferDetail as WireTransferDetail,
  TransferEventKind,
  TransferEventPage,
  TransferPage,
  TransferStateCountsResponse,
  TransferSummary,
  TransferCallerProfile,
  TransfersPerDayResponse,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type { Decision, EventKind, ExportRow, Transfer } from '../store';
import type { DecisionKind } from '../workflow/states';
import type { TransferWorkflow } from './TransferWorkflow';

/**
 * A transfer as the API shows it: without the engine's checkpoint and the run's own plan (internal, and
 * large; `plan` is what the owners approved) and the lease's holder (which replica runs it is nobody's
 * business outside the backend), with its portal URL and the decisions the caller may take on it now. On
 * the wire it is common's TransferSummary (its Dates as ISO strings; checked by RoutesAgreeWithCommon below).
 */
export type TransferView = Omit<
  Transfer,
  'checkpoint' | 'lease' | 'runPlan'
> & {
  url: string;
  allowedActions: DecisionKind[];
};

export function transferView(
  t: Transfer,
  portalUrl: string,
  allowedActions: DecisionKind[],
): TransferView {
  const {
    checkpoint: _checkpoint,
    lease: _lease,
    runPlan: _runPlan,
    ...rest
  } = t;
  return {
    ...rest,
    url: `${portalUrl}${encodeURIComponent(t.id)}`,
    allowedActions,
  };
}

export interface TransferDetail {
  transfer: TransferView;
  decisions: Decision[];
}

/**
 * What JSON.stringify (res.json) makes of a value of type T: a Date becomes its ISO string (toJSON), an
 * optional field stays optional (undefined is left out). Numbers stay numbers: the store holds no NaN.
 */
export type Json<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer U>
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/** True when A and B are the same type: the same keys, optionality and value types, all the way down. */
type Same<A, B> =
  (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2
    ? true
    : false;

/** Whether a Date hides anywhere in T: a wire type that claims one would lie (the client gets a string). */
type HasDate<T> = T extends Date
  ? true
  : T extends ReadonlyArray<infer U>
    ? HasDate<U>
    : T extends object
      ? true extends { [K in keyof T]-?: HasDate<T[K]> }[keyof T]
        ? true
        : false
      : false;

/**
 * The backend's body B serializes to exactly the wire type W. Both sides go through Json: it flattens
 * intersections (`PvcRef & {...}`), which TypeScript's identity check would otherwise tell apart from the
 * same members written out.
 */
type Agree<B, W> = HasDate<W> extends true ? false : Same<Json<B>, Json<W>>;

type Answer<M extends keyof TransferWorkflow> = Awaited<
  ReturnType<TransferWorkflow[M]>
>;

/**
 * The body each workflow route hands to res.json (transferRoutes.ts; the events and stats routes wrap
 * the workflow's answer in an object), beside the type the portal reads it as (common's wire types).
 */
interface RouteBodies {
  plan: [Answer<'plan'>, Plan];
  create: [Answer<'create'>, TransferSummary];
  batch: [Answer<'createBatch'>, TransferBatchResponse];
  list: [Answer<'list'>, TransferPage];
  pending: [Answer<'waitingForApproval'>, TransferPage];
  get: [Answer<'get'>, WireTransferDetail];
  events: [{ events: Answer<'events'> }, TransferEventPage];
  decide: [Answer<'decide'>, TransferSummary];
  destinations: [Answer<'destinations'>, TransferDestinationsResponse];
  counts: [{ counts: Answer<'countsByState'> }, TransferStateCountsResponse];
  bytesPerDay: [{ days: Answer<'bytesMovedPerDay'> }, BytesPerDayResponse];
  transfersPerDay: [
    { days: Answer<'transfersPerDay'> },
    TransfersPerDayResponse,
  ];
  me: [Answer<'me'>, TransferCallerProfile];
  decisionKinds: [DecisionKind, TransferDecisionKind];
  eventKinds: [EventKind, TransferEventKind];
}

type Disagreeing = {
  [K in keyof RouteBodies]: Agree<
    RouteBodies[K][0],
    RouteBodies[K][1]
  > extends true
    ? never
    : K;
}[keyof RouteBodies];

/**
 * Does not compile while a route's body would serialize to anything but common's wire type for it (the
 * error names the route): the portal's client is typed by common, so backend and portal cannot drift.
 */
export type RoutesAgreeWithCommon<T extends never = Disagreeing> = T;

/** The columns of the audit export, in order. */
export const CSV_COLUMNS = [
  'id',
  'batchId',
  'state',
  'phase',
  'requester',
  'approvedBy',
  'sourceCluster',
  'sourceNamespace',
  'sourceClaim',
  'sourceEntity',
  'destinationCluster',
  'destinationNamespace',
  'destinationClaim',
  'destinationEntity',
  'requestedMode',
  'chosenMode',
  'intent',
  'attempt',
  'bytesDone',
  'downtimeMs',
  'createdAt',
  'startedAt',
  'finishedAt',
  'error',
  'url',
  'comment',
  // last: a column added later goes at the end, so a spreadsheet that reads columns by position keeps working
  'requestedVia',
] as const;

export type CsvRow = Record<(typeof CSV_COLUMNS)[number], string>;

function text(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/**
 * The store's export row as the CSV's cells: the same object, each column made text and the portal's
 * URL added (a new object per row is what V8 pretenured, see exportRowFromRow).
 */
export function csvRow(row: ExportRow, portalUrl: string): CsvRow {
  const cells: Record<string, unknown> = row;
  cells.approvedBy = row.approvedBy.join(' ');
  cells.url = `${portalUrl}${encodeURIComponent(row.id)}`;
  for (const column of CSV_COLUMNS) cells[column] = text(cells[column]);
  return cells as CsvRow;
}
