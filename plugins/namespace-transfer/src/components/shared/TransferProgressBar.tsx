import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import {
  isEndedTransferState,
  TransferProgressSummary,
  TransferState,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  formatBytes,
  formatDuration,
  formatRate,
  percentOf,
} from '../../lib/format';

/** e.g. `1.0 GiB of 2.0 GiB (50%)`, or what is known of it */
function amount(
  progress: TransferProgressSummary,
  percent: number | undefined,
  moving: boolean,
): string {
  const { bytesDone, bytesTotal } = progress;
  if (bytesDone === undefined) {
    return moving
      ? 'Waiting for the first progress report'
      : 'No progress reported';
  }
  if (bytesTotal === undefined) return `${formatBytes(bytesDone)} copied`;
  return `${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)} (${percent}%)`;
}

/**
 * While the data moves: the amount, rate and time left. Otherwise (staged, ended) a rate or time left
 * would read as a current one: the amount moved, and how long the run took once it ended.
 */
function figuresOf(
  progress: TransferProgressSummary,
  percent: number | undefined,
  state: TransferState | undefined,
  tookMs: number | undefined,
): string[] {
  const moving = state === undefined || state === 'running';
  const figures = [amount(progress, percent, moving)];
  if (moving) {
    if (progress.rateBytesPerSecond !== undefined) {
      figures.push(formatRate(progress.rateBytesPerSecond));
    }
    if (progress.etaSeconds !== undefined) {
      figures.push(`${formatDuration(progress.etaSeconds * 1000)} left`);
    }
  } else if (isEndedTransferState(state) && tookMs !== undefined) {
    figures.push(`took ${formatDuration(tookMs)}`);
  }
  return figures;
}

/** the bar's fill: a known share, full once it succeeded, moving without a share only while it runs */
function barValue(
  percent: number | undefined,
  state: TransferState | undefined,
): number | undefined {
  if (percent !== undefined) return percent;
  if (state === 'succeeded') return 100;
  if (state === undefined || state === 'running' || state === 'approved')
    return undefined;
  return 0;
}

/**
 * Bytes done of the total, with rate and time left while it runs. Determinate once the mover knows the
 * total (the bar then carries `aria-valuenow`), indeterminate before; an ended run's bar stands still.
 */
export function TransferProgressBar(props: {
  progress: TransferProgressSummary;
  /** the label screen readers announce, e.g. which transfer */
  label?: string;
  /** the transfer's state: only a running transfer (or one of unknown state) shows a rate and time left */
  state?: TransferState;
  /** how long the attempt ran, shown once it ended */
  tookMs?: number;
}) {
  const { progress, label = 'Transfer progress', state, tookMs } = props;
  const percent = percentOf(progress.bytesDone, progress.bytesTotal);
  const value = barValue(percent, state);
  return (
    <div>
      <LinearProgress
        aria-label={label}
        variant={value === undefined ? 'indeterminate' : 'determinate'}
        value={value}
      />
      <Typography variant="body2" color="textSecondary">
        {figuresOf(progress, percent, state, tookMs).join(' · ')}
      </Typography>
    </div>
  );
}
