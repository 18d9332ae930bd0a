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
  /** queued again after a backoff; the checkpoint is kept only when the run left it to resume */
  | { action: 'retry'; message: string; keepCheckpoint: boolean }
  | { action: 'fail'; reason: FailedReason; message: string };

export interface FailedRun {
  error: unknown;
  /** the attempt that failed, 1 for the first */
  attempt: number;
  maxAttempts: number;
  /** the last checkpoint the run reported (the engine's, after its rollback if it made one) */
  checkpoint?: TransferCheckpoint;
  /** the controller handed the run over (leadership lost) or stopped it before its point of no return */
  stopped: boolean;
}

/**
 * Classifies a failed run: a refusal ends the request (the claim to adopt did not fit: its own reason); a
 * transient failure (429, 5xx, an escaped 409, a cluster away, a connection that dropped or timed out) is
 * retried until maxAttempts; anything else ends it as TransferFailed.
 */
export function decideFailure(f: FailedRun): FailureDecision {
  if (f.stopped) return { action: 'handOver' };
  const e = f.error;
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
  return { action: 'retry', message, keepCheckpoint: resumable(f) };
}

export function isTransientFailure(e: unknown): boolean {
  return isClusterUnreachable(e) || httpStatus(e) === 409 || isTransient(e);
}

/**
 * Whether the next attempt continues from the failed run's checkpoint. A cluster that did not answer made
 * the engine put nothing back, so the checkpoint is the truth; so is a checkpoint still past the point of no
 * return (the give-back did not finish: only a resume finishes or gives back). Any other failure was rolled
 * back (or given back), and resuming its steps would skip what the rollback undid: the next attempt starts
 * over.
 */
function resumable(f: FailedRun): boolean {
  if (isClusterUnreachable(f.error)) return true;
  return !!f.checkpoint?.completedSteps.includes(POINT_OF_NO_RETURN);
}
