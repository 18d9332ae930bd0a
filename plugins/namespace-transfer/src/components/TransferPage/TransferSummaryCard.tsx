import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { TransferSummary } from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatDuration } from '../../lib/format';
import { formatTime, runTimeMs } from '../../lib/time';
import { Requester, TransferProgressBar, TransferStateChip } from '../shared';
import { TransferActions } from '../TransferActions';
import { claimPath } from './describe';
import { Facts } from './Facts';

function intentText(t: TransferSummary): string {
  const mode = t.chosenMode ?? t.plan.mode;
  return `${t.intent === 'move' ? 'Move' : 'Clone'} by ${mode}`;
}

/** Where the transfer stands: state and phase, who asked for it, progress, and what the caller may do. */
export function TransferSummaryCard(props: {
  transfer: TransferSummary;
  onDecided(transfer: TransferSummary): void;
}) {
  const { transfer: t, onDecided } = props;
  return (
    <InfoCard title="Transfer">
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
        mb={2}
      >
        <TransferStateChip state={t.state} />
        <Typography variant="body1">
          {t.phase ? `Phase: ${t.phase}` : 'Not started'}
        </Typography>
        {t.cancelRequested && (
          <Typography variant="body2" color="textSecondary">
            cancel requested, rolling back
          </Typography>
        )}
      </Box>
      <Facts
        facts={[
          ['From', claimPath(t.source)],
          ['To', claimPath(t.destination)],
          ['What', intentText(t)],
          [
            'Requested by',
            t.requestedVia === 'kubernetes' ? (
              <Requester transfer={t} />
            ) : (
              t.requester
            ),
          ],
          ['Comment', t.comment],
          ['Requested', formatTime(t.createdAt)],
          ['Attempt', String(t.attempt)],
          [
            'Approved by',
            t.approvedBy.length ? t.approvedBy.join(', ') : undefined,
          ],
          ['Started', t.startedAt && formatTime(t.startedAt)],
          ['Finished', t.finishedAt && formatTime(t.finishedAt)],
          ['Cuts over at', t.cutoverAt && formatTime(t.cutoverAt)],
          [
            'Expires',
            t.state === 'pending-approval' && t.expiresAt
              ? formatTime(t.expiresAt)
              : undefined,
          ],
          [
            'Downtime',
            t.downtimeMs !== undefined
              ? formatDuration(t.downtimeMs)
              : undefined,
          ],
        ]}
      />
      {t.startedAt && (
        <Box mt={2}>
          <TransferProgressBar
            progress={t.progress}
            state={t.state}
            tookMs={runTimeMs(t)}
          />
        </Box>
      )}
      {t.error && (
        <Box mt={2}>
          <Typography variant="subtitle2" color="error">
            Error
          </Typography>
          <Typography
            variant="body2"
            color="error"
            style={{ whiteSpace: 'pre-wrap' }}
          >
            {t.error}
          </Typography>
        </Box>
      )}
      <Box mt={2}>
        <TransferActions transfer={t} onDone={onDecided} />
      </Box>
    </InfoCard>
  );
}
