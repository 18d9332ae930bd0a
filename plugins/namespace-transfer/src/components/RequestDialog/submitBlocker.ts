import { CheckedForm } from './formModel';
import { PlansState } from './usePlans';

/**
 * Why "Request transfer" cannot be pressed now, or undefined when it can: only a valid draft whose fresh
 * plans all allow it may be sent, since the API refuses anything else.
 */
export function submitBlocker(
  checked: CheckedForm,
  plans: PlansState,
): string | undefined {
  if (!checked.draft) return 'Correct the fields marked in red first.';
  if (plans.stale || !plans.results) return 'Waiting for the plan…';
  const failed = plans.results.filter(r => r.error);
  if (failed.length > 0)
    return `The plan could not be made: ${failed[0].error}`;
  const refused = plans.results.filter(r => r.plan && !r.plan.allowed);
  if (refused.length === 0) return undefined;
  if (plans.results.length === 1)
    return 'The plan refuses this transfer: see why in the plan.';
  return `The plan refuses ${refused.length} of ${plans.results.length} claims (${refused.map(r => r.claim).join(', ')}): see why in the plan.`;
}
