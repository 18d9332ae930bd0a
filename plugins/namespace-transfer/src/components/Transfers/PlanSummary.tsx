import Typography from '@material-ui/core/Typography';
import { Plan } from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatDuration } from '../../lib/format';

const seconds = (value: number | undefined) =>
  value === undefined ? 'unknown' : formatDuration(value * 1000);

/** What the approver agrees to: the mode and why, what stops for how long, how long it takes, refusals. */
export function PlanSummary({ plan }: { plan: Plan }) {
  const stopped = plan.workloads.map(w => `${w.kind} ${w.name}`).join(', ');
  return (
    <>
      <Typography variant="body2">
        <strong>{plan.mode}</strong>: {plan.modeReason}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        Estimated {seconds(plan.estimatedSeconds)}, downtime{' '}
        {seconds(plan.estimatedDowntimeSeconds)}
        {stopped ? ` (stops ${stopped})` : ''}
      </Typography>
      {plan.warnings.map((warning, i) => (
        <Typography key={i} variant="body2" color="textSecondary">
          Warning: {warning}
        </Typography>
      ))}
      {plan.refusals.map((refusal, i) => (
        <Typography key={i} variant="body2" color="error">
          Refused ({refusal.code}): {refusal.message}
        </Typography>
      ))}
    </>
  );
}
