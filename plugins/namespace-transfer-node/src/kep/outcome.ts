import type { TransferCheckpoint } from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  httpStatus,
  isClusterUnreachable,
  isTransient,
  readableError,
} from '../clusters';
import { POINT_OF_NO_RETURN, RebindRefusedError } from '../rebind';

/** The reasons a request ends Failed with (KepOutcome's). */
export type FailedReason =
  | 'PreconditionsFailed'
  | 'DestinationClaimRefused'
  | 'TransferFailed'
  | 'RetriesExhausted';

/** What the controller does after a run of a request threw. */
export type FailureDecision =
  /** stopped or handed over: no final status, the next run resumes from the checkpoint in status */
  | { action: 'handOver' }
  /**
   * queued again after a backoff, from the engine's last checkpoint; past the point of no return the
   * retries never run out (`committed`): only a run finishes or gives the volume back
   */
  | { action: 'retry'; message: string; committed: boolean }
  | { action: 'fail'; reason: FailedReason; message: string };

export interface FailedRun {
  error: unknown;
  /** the attempt that failed, 1 for the first */
  attempt: number;
  maxAttempts: number;
  /** the last checkpoint the engine recorded (after a rollback: without the steps it undid) */
  checkpoint?: TransferCheckpoint;
  /** the engine left everything as it was for a resume because the run was handed over or stopped */
  stopped: boolean;
}

/**
 * Classifies a failed run. Past the point of no return (the source claim may be gone, and the give-back did
 * not finish) nothing ends the request: the volume has no claim until a run finishes or gives it back, so
 * it is retried whatever the error. Before it, a refusal ends the request (the claim to adopt did not fit:
 * its own reason); a transient failure (429, 5xx, an escaped 409, a cluster away, a connection that dropped
 * or timed out) is retried until maxAttempts; anything else ends it as TransferFailed.
 */
export function decideFailure(f: FailedRun): FailureDecision {
  if (f.stopped) return { action: 'handOver' };
  const e = f.error;
  if (isCommitted(f.checkpoint))
    return {
      action: 'retry',
      committed: true,
      message: `the volume has no claim until this finishes: ${readableError(e)}`,
    };
  if (e instanceof RebindRefusedError) {
    const message = e.failures
      .map(x => `${x.precondition}: ${x.message}`)
      .join('; ');
    const onlyClaim = e.failures.every(
      x => (x.precondition as string) === 'DestinationClaimFits',
    );
    return {
      action: 'fail',
      reason: onlyClaim ? 'DestinationClaimRefused' : 'PreconditionsFailed',
      message,
    };
  }
  const message = readableError(e);
  if (!isTransientFailure(e))
    return { action: 'fail', reason: 'TransferFailed', message };
  if (f.attempt >= f.maxAttempts)
    return {
      action: 'fail',
      reason: 'RetriesExhausted',
      message: `gave up after ${f.attempt} attempts: ${message}`,
    };
  return { action: 'retry', message, committed: false };
}

export function isTransientFailure(e: unknown): boolean {
  return isClusterUnreachable(e) || httpStatus(e) === 409 || isTransient(e);
}

/**
 * Whether a checkpoint is past the point of no return. A give-back clears the checkpoint down to GIVEN_BACK,
 * so a checkpoint listing the point of no return is one nobody has given back since.
 */
export function isCommitted(c: TransferCheckpoint | undefined): boolean {
  return c?.completedSteps.includes(POINT_OF_NO_RETURN) ?? false;
}
