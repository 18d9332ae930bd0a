import type { TransferPhase } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { TransferRunOutcome } from './types';

/** How a run that did not finish ended, from what was seen of it. */
export interface UnfinishedRun {
  /** the hand-over signal fired */
  handedOver: boolean;
  /** the cancel signal fired */
  cancelRequested: boolean;
  /** the last phase the flow reported (undefined: it never started, e.g. planning failed) */
  lastPhase?: TransferPhase;
}

/**
 * The outcome of a run that threw. A flow that said how it ended (Cancelled or Failed: it had started
 * rolling back or giving up before a hand-over came, and finished that) ended so; a hand-over stops any
 * other. The flow reports Cancelled only when it rolled back for a cancel; a cancel it no longer honoured
 * (past the point of no return) ends as the failure it met. A cancel that came before the flow started is
 * a cancel.
 */
export function unfinishedOutcome(r: UnfinishedRun): TransferRunOutcome {
  const ended = r.lastPhase === 'Cancelled' || r.lastPhase === 'Failed';
  if (r.handedOver && !ended) return 'handed-over';
  if (r.lastPhase === 'Cancelled') return 'cancelled';
  if (r.lastPhase === undefined && r.cancelRequested) return 'cancelled';
  return 'failed';
}
