import type { Decision, Transfer } from '../store';

/**
 * A transfer as the API shows it: without the engine's checkpoint and the run's own plan (internal, and
 * large; `plan` is what the owners approved) and the lease's holder (which replica runs it is nobody's
 * business outside the backend), with its portal URL.
 */
export type TransferView = Omit<
  Transfer,
  'checkpoint' | 'lease' | 'runPlan'
> & {
  url: string;
};

export function transferView(t: Transfer, portalUrl: string): TransferView {
  const {
    checkpoint: _checkpoint,
    lease: _lease,
    runPlan: _runPlan,
    ...rest
  } = t;
  return { ...rest, url: `${portalUrl}${encodeURIComponent(t.id)}` };
}

export interface TransferDetail {
  transfer: TransferView;
  decisions: Decision[];
}

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
] as const;

export type CsvRow = Record<(typeof CSV_COLUMNS)[number], string>;

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  return v instanceof Date ? v.toISOString() : String(v);
}

export function csvRow(t: Transfer, portalUrl: string): CsvRow {
  return {
    id: t.id,
    batchId: text(t.batchId),
    state: t.state,
    phase: text(t.phase),
    requester: t.requester,
    approvedBy: t.approvedBy.join(' '),
    sourceCluster: t.source.cluster,
    sourceNamespace: t.source.namespace,
    sourceClaim: t.source.claim,
    sourceEntity: t.source.entityRef,
    destinationCluster: t.destination.cluster,
    destinationNamespace: t.destination.namespace,
    destinationClaim: t.destination.claim,
    destinationEntity: t.destination.entityRef,
    requestedMode: t.requestedMode,
    chosenMode: text(t.chosenMode),
    intent: t.intent,
    attempt: String(t.attempt),
    bytesDone: text(t.progress.bytesDone),
    downtimeMs: text(t.downtimeMs),
    createdAt: text(t.createdAt),
    startedAt: text(t.startedAt),
    finishedAt: text(t.finishedAt),
    error: text(t.error),
    url: `${portalUrl}${encodeURIComponent(t.id)}`,
  };
}
