import { CSSProperties, ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import {
  isActiveTransferState,
  ListQuery,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatDuration } from '../../lib/format';
import {
  formatDayAndTime,
  formatTime as formatFullTime,
  runTimeMs,
} from '../../lib/time';
import { formatTime } from '../EntityVolumesContent/formatTime';
import {
  BreakablePath,
  Requester,
  TransferLink,
  TransferProgressBar,
  TransferStateChip,
} from '../shared';
import { TransferActions } from '../TransferActions';
import { claimPath, routeOf } from './describe';
import { PlanSummary } from './PlanSummary';

/** A field the API sorts the list by (`ListQuery.sort`). */
export type TransferSortField = NonNullable<ListQuery['sort']>;

/** @public */
export type TransferSortOrder = 'asc' | 'desc';

/**
 * The columns a TransfersTable can show.
 *
 * @public
 */
export type TransfersTableColumn =
  | 'transfer'
  | 'state'
  | 'phase'
  | 'progress'
  | 'requester'
  | 'attempt'
  | 'downtime'
  | 'created'
  | 'updated'
  | 'plan'
  | 'comment'
  | 'actions';

/** what fits 1280 px beside the sidebar: the state cell names the phase and a retry's attempt */
export const DEFAULT_COLUMNS: TransfersTableColumn[] = [
  'transfer',
  'state',
  'progress',
  'requester',
  'downtime',
  'updated',
];

export interface CellContext {
  /** a decision's answer, for the list to show the transfer as it is now */
  onTransferChange?: (transfer: TransferSummary) => void;
}

interface ColumnDefinition {
  title: string;
  /** set when the API can sort by this column */
  sortField?: TransferSortField;
  /** the cells' layout: room for a column that must not be squeezed, or no wrapping of a short one */
  style?: CSSProperties;
  render(transfer: TransferSummary, context: CellContext): ReactNode;
}

const NO_WRAP: CSSProperties = { whiteSpace: 'nowrap' };

function Route({ transfer }: { transfer: TransferSummary }) {
  return (
    <>
      <TransferLink transfer={transfer}>
        <BreakablePath path={claimPath(transfer.source)} /> →{' '}
        <BreakablePath path={claimPath(transfer.destination)} />
      </TransferLink>
      <Typography variant="caption" color="textSecondary" display="block">
        {transfer.intent} · {transfer.chosenMode ?? transfer.requestedMode}
      </Typography>
    </>
  );
}

/**
 * The bar while the transfer is under way or once bytes moved; rate and time left only while it runs (an
 * ended run's last rate would read as a current one).
 */
function Progress({ transfer }: { transfer: TransferSummary }) {
  const { state, progress } = transfer;
  if (!isActiveTransferState(state) && progress.bytesDone === undefined) {
    return <>–</>;
  }
  return (
    <TransferProgressBar
      progress={progress}
      state={state}
      tookMs={runTimeMs(transfer)}
      label={`Progress of ${routeOf(transfer)}`}
    />
  );
}

/** What the state alone does not say: why it failed, a cancel under way, when it cuts over or expires. */
function stateNote(transfer: TransferSummary): string | undefined {
  if (transfer.cancelRequested) return 'Cancel asked: rolling back';
  if (transfer.state === 'staged' && transfer.cutoverAt) {
    return `Cuts over ${formatTime(transfer.cutoverAt)}`;
  }
  if (transfer.state === 'pending-approval' && transfer.expiresAt) {
    return `Expires ${formatTime(transfer.expiresAt)}`;
  }
  return undefined;
}

/** the phase the run is in (or ended in) and a retry's attempt, e.g. `Syncing · attempt 2` */
function runNote(transfer: TransferSummary): string | undefined {
  const { phase, attempt, state } = transfer;
  const parts = [
    phase && state !== 'succeeded' ? phase : undefined,
    attempt > 1 ? `attempt ${attempt}` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function State({ transfer }: { transfer: TransferSummary }) {
  const note = stateNote(transfer);
  const run = runNote(transfer);
  return (
    <>
      <TransferStateChip state={transfer.state} />
      {run && (
        <Typography variant="caption" color="textSecondary" display="block">
          {run}
        </Typography>
      )}
      {note && (
        <Typography variant="caption" color="textSecondary" display="block">
          {note}
        </Typography>
      )}
      {transfer.error && (
        <Typography variant="caption" color="error" display="block">
          {transfer.error}
        </Typography>
      )}
    </>
  );
}

/** the day above the time of day, so that neither breaks; the full time in the tooltip */
function When({ iso }: { iso: string }) {
  const [day, time] = formatDayAndTime(iso);
  return (
    <span title={formatFullTime(iso)} style={NO_WRAP}>
      {day}
      <Typography variant="caption" color="textSecondary" display="block">
        {time}
      </Typography>
    </span>
  );
}

function Downtime({ transfer }: { transfer: TransferSummary }) {
  if (transfer.downtimeMs !== undefined) {
    return <>{formatDuration(transfer.downtimeMs)}</>;
  }
  const estimate = transfer.plan.estimatedDowntimeSeconds;
  // Before the run the plan's estimate is all there is; say it is one.
  return (
    <Typography variant="body2" color="textSecondary">
      {estimate === undefined ? '–' : `~${formatDuration(estimate * 1000)}`}
    </Typography>
  );
}

export const COLUMNS: Record<TransfersTableColumn, ColumnDefinition> = {
  transfer: {
    title: 'Transfer',
    style: { minWidth: '9rem' },
    render: t => <Route transfer={t} />,
  },
  state: {
    title: 'State',
    sortField: 'state',
    render: t => <State transfer={t} />,
  },
  phase: { title: 'Phase', style: NO_WRAP, render: t => t.phase ?? '–' },
  progress: {
    title: 'Progress',
    style: { minWidth: '7rem' },
    render: t => <Progress transfer={t} />,
  },
  requester: {
    title: 'Requester',
    sortField: 'requester',
    style: { minWidth: '7rem' },
    render: t => <Requester transfer={t} />,
  },
  attempt: { title: 'Attempt', style: NO_WRAP, render: t => t.attempt },
  downtime: {
    title: 'Downtime',
    style: NO_WRAP,
    render: t => <Downtime transfer={t} />,
  },
  created: {
    title: 'Requested',
    sortField: 'createdAt',
    render: t => <When iso={t.createdAt} />,
  },
  updated: {
    title: 'Updated',
    sortField: 'updatedAt',
    render: t => <When iso={t.updatedAt} />,
  },
  plan: {
    title: 'Plan',
    style: { minWidth: '14rem' },
    render: t => <PlanSummary plan={t.plan} />,
  },
  comment: {
    title: 'Comment',
    style: { minWidth: '8rem' },
    render: t => (
      <Typography variant="body2" style={{ whiteSpace: 'pre-wrap' }}>
        {t.comment ?? '–'}
      </Typography>
    ),
  },
  actions: {
    title: 'Actions',
    // each button on one line: they stack rather than break their words
    style: NO_WRAP,
    render: (t, { onTransferChange }) => (
      <TransferActions
        transfer={t}
        onDone={changed => onTransferChange?.(changed)}
      />
    ),
  },
};
