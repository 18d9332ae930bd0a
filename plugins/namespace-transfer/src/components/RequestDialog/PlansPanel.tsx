import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { PlanView } from './PlanView';
import { PlanResult, PlansState } from './usePlans';

function ClaimPlan({
  result,
  titled,
}: {
  result: PlanResult;
  titled: boolean;
}) {
  return (
    <Box mb={2}>
      {titled && (
        <Typography variant="subtitle1" component="h3">
          {`Claim ${result.claim}`}
        </Typography>
      )}
      {result.error && (
        <Typography variant="body2" color="error">
          {`The plan could not be made: ${result.error}`}
        </Typography>
      )}
      {result.plan && <PlanView plan={result.plan} />}
    </Box>
  );
}

/** The backend's plan of the draft, one per claim of a batch; an outdated one is dimmed while a new one comes. */
export function PlansPanel({
  plans,
  valid,
}: {
  plans: PlansState;
  valid: boolean;
}) {
  if (!valid)
    return (
      <Typography variant="body2" color="textSecondary">
        The plan appears here once the fields are filled in correctly.
      </Typography>
    );
  if (!plans.results) return <Progress />;
  return (
    <section aria-label="Plan" aria-busy={plans.stale}>
      {plans.stale && (
        <Typography variant="caption" color="textSecondary">
          Updating the plan…
        </Typography>
      )}
      {/* full contrast while it updates: a faded plan failed axe's contrast check (1.9:1 captions) */}
      <Box>
        {plans.results.map(r => (
          <ClaimPlan
            key={r.claim}
            result={r}
            titled={plans.results!.length > 1}
          />
        ))}
      </Box>
    </section>
  );
}
