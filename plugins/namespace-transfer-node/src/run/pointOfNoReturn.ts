import type {
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { copyPointOfNoReturn } from '../copy/run';
import { POINT_OF_NO_RETURN as REBIND_POINT_OF_NO_RETURN } from '../rebind/run';

/**
 * Whether the run that wrote this checkpoint had passed its point of no return: a cancel is refused from
 * there and a failure is resumed, not retried. The step runner records it in the checkpoint; a checkpoint
 * written before it did is judged by its steps (the flow's point of no return for this spec).
 *
 * @public
 */
export function isPastPointOfNoReturn(
  checkpoint: TransferCheckpoint | undefined,
  spec?: TransferSpec,
): boolean {
  if (!checkpoint) return false;
  if (checkpoint.pastPointOfNoReturn) return true;
  if (!spec) return false;
  const steps = checkpoint.completedSteps;
  // only a rebind has a preconditions step
  const point = steps.includes('preconditions')
    ? REBIND_POINT_OF_NO_RETURN
    : copyPointOfNoReturn(spec.intent, spec.options?.verify ?? 'full');
  return steps.includes(point);
}
