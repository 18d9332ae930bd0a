import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  TransferDecision,
  TransferDecisionKind,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatTime } from '../../lib/time';

const DONE: Record<TransferDecisionKind, string> = {
  approve: 'Approved',
  reject: 'Rejected',
  cancel: 'Cancelled',
  retry: 'Retried',
  resume: 'Resumed',
  cutover: 'Cut over',
};

/** Who decided what, with their comment, oldest first. */
export function DecisionsCard(props: { decisions: TransferDecision[] }) {
  const { decisions } = props;
  return (
    <InfoCard title="Decisions">
      {decisions.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No decision yet.
        </Typography>
      ) : (
        <ul style={{ margin: 0, paddingLeft: 16 }}>
          {decisions.map(d => (
            <li key={d.id}>
              <Typography variant="body2">
                <strong>{DONE[d.kind]}</strong> by {d.actor},{' '}
                {formatTime(d.decidedAt)}
                {d.comment ? ` — “${d.comment}”` : ''}
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </InfoCard>
  );
}
