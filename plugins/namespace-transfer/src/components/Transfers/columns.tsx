import { ReactNode } from 'react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import {
  isActiveTransferState,
  ListQuery,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatDuration } from '../../lib/format';
import { formatTime } from '../EntityVolumesContent/formatTime';
import {
  TransferLink,
  TransferProgressBar,
  TransferStateChip,
} from '../shared';
import { TransferActions } from '../TransferActions';
import { routeOf } from './describe';
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

export const DEFAULT_COLUMNS: TransfersTableColumn[] = [
  'transfer',
  'state',
  'phase',
  'progress',
  'requester',
  'attempt',
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
  render(transfer: TransferSummary, context: CellContext): ReactNode;
}

function Route({ transfer }: { transfer: TransferSummary }) {
  return (
    <>
      <TransferLink transfer={transfer}>{routeOf(transfer)}</TransferLink>
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
  const shown =
    state === 'running'
      ? progress
      : { bytesDone: progress.bytesDone, bytesTotal: progress.bytesTotal };
  return (
    <TransferProgressBar
      progress={shown}
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

function State({ transfer }: { transfer: TransferSummary }) {
  const note = stateNote(transfer);
  return (
    <>
      <TransferStateChip state={transfer.state} />
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
  transfer: { title: 'Transfer', render: t => <Route transfer={t} /> },
  state: {
    title: 'State',
    sortField: 'state',
    render: t => <State transfer={t} />,
  },
  phase: { title: 'Phase', render: t => t.phase ?? '–' },
  progress: {
    title: 'Progress',
    render: t => <Progress transfer={t} />,
  },
  requester: {
    title: 'Requester',
    sortField: 'requester',
    render: t => <EntityRefLink entityRef={t.requester} defaultKind="user" />,
  },
  attempt: { title: 'Attempt', render: t => t.attempt },
  downtime: { title: 'Downtime', render: t => <Downtime transfer={t} /> },
  created: {
    title: 'Requested',
    sortField: 'createdAt',
    render: t => formatTime(t.createdAt),
  },
  updated: {
    title: 'Updated',
    sortField: 'updatedAt',
    render: t => formatTime(t.updatedAt),
  },
  plan: { title: 'Plan', render: t => <PlanSummary plan={t.plan} /> },
  comment: {
    title: 'Comment',
    render: t => (
      <Typography variant="body2" style={{ whiteSpace: 'pre-wrap' }}>
        {t.comment ?? '–'}
      </Typography>
    ),
  },
  actions: {
    title: 'Actions',
    render: (t, { onTransferChange }) => (
      <TransferActions
        transfer={t}
        onDone={changed => onTransferChange?.(changed)}
      />
    ),
  },
};
