import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { TransferProgressSummary } from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  formatBytes,
  formatDuration,
  formatRate,
  percentOf,
} from '../../lib/format';

/** e.g. `1.0 GiB of 2.0 GiB (50%)`, or what is known of it */
function amount(progress: TransferProgressSummary, percent?: number): string {
  const { bytesDone, bytesTotal } = progress;
  if (bytesDone === undefined) return 'Waiting for the first progress report';
  if (bytesTotal === undefined) return `${formatBytes(bytesDone)} copied`;
  return `${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)} (${percent}%)`;
}

/**
 * Bytes done of the total, with rate and time left. Determinate once the mover knows the total (the bar
 * then carries `aria-valuenow`), indeterminate before.
 */
export function TransferProgressBar(props: {
  progress: TransferProgressSummary;
  /** the label screen readers announce, e.g. which transfer */
  label?: string;
}) {
  const { progress, label = 'Transfer progress' } = props;
  const percent = percentOf(progress.bytesDone, progress.bytesTotal);
  const figures = [amount(progress, percent)];
  if (progress.rateBytesPerSecond !== undefined) {
    figures.push(formatRate(progress.rateBytesPerSecond));
  }
  if (progress.etaSeconds !== undefined) {
    figures.push(`${formatDuration(progress.etaSeconds * 1000)} left`);
  }
  return (
    <div>
      <LinearProgress
        aria-label={label}
        variant={percent === undefined ? 'indeterminate' : 'determinate'}
        value={percent}
      />
      <Typography variant="body2" color="textSecondary">
        {figures.join(' · ')}
      </Typography>
    </div>
  );
}
