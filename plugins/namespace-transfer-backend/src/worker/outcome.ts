import type { TransferRunResult } from '@namespace-transfer/plugin-namespace-transfer-node';
import type { RunEndColumns } from '../store/RunLeases';
import type { RunOutcome, Transfer, WorkerAction } from '../store';
import { type MaintenanceWindow, nextCutoverTime } from './maintenanceWindows';

/** What the worker stores when a run ends: a move of the state machine, or a hand-over (no change). */
export type RunEnd =
  | {
      kind: 'finish';
      action: WorkerAction;
      outcome: RunOutcome;
      set: RunEndColumns;
    }
  | { kind: 'hand-over' };

export interface EndFacts {
  transfer: Transfer;
  /** a cancel was recorded when the run ended (by any replica) */
  cancelRequested: boolean;
  now: Date;
  windows: MaintenanceWindow[];
}

const finish = (
  action: WorkerAction,
  outcome: RunOutcome = {},
  set: RunEndColumns = {},
): RunEnd => ({ kind: 'finish', action, outcome, set });

/**
 * Maps how the engine's run ended onto the workflow. A failure keeps the point of no return the checkpoint
 * reported (stored with it), so the people see resume, not retry (see failure); a staged transfer waits
 * for its cut over time, moved into the next maintenance window.
 */
export function runEnd(r: TransferRunResult, f: EndFacts): RunEnd {
  switch (r.outcome) {
    case 'succeeded':
      return finish('succeed', {
        downtimeMs: r.downtimeMs,
        details: {
          mode: r.mode,
          bytes: r.bytes,
          files: r.files,
          verified: r.verified,
          durationMs: r.durationMs,
        },
      });
    case 'staged': {
      const at = f.transfer.cutoverAt;
      return finish(
        'stage',
        { details: { bytes: r.bytes, files: r.files } },
        at
          ? {
              cutoverAt: nextCutoverTime(
                at.getTime() > f.now.getTime() ? at : f.now,
                f.windows,
              ),
            }
          : {},
      );
    }
    case 'plan-changed':
      return finish(
        'ask-again',
        { details: { planChanges: r.planChanges ?? [] } },
        r.plan ? { plan: r.plan } : {},
      );
    case 'cancelled':
      if (f.cancelRequested)
        return finish('roll-back', { details: { mode: r.mode } });
      return finish('fail', {
        error:
          r.error ?? 'the run stopped as cancelled, but no cancel was recorded',
      });
    case 'refused':
    case 'failed':
      return failure(r);
    case 'handed-over':
      return { kind: 'hand-over' };
    default:
      return finish('fail', {
        error: `the engine ended the run with an unknown outcome ${String(r.outcome)}`,
      });
  }
}

/**
 * A rebind that gave its volume back after its point of no return left the source as it was: the stored
 * point goes too, so the people see retry (which starts over), not a resume of what was undone.
 */
function failure(r: TransferRunResult): RunEnd {
  const error = r.error ?? `the transfer ${r.outcome} without saying why`;
  if (r.givenBack)
    return finish(
      'fail',
      { error, details: { pastPointOfNoReturn: false, givenBack: true } },
      { givenBack: true },
    );
  // not rolled back and not past the point: what it left is for a resume (or a cancel) to deal with
  if (r.leftForResume && !r.pastPointOfNoReturn)
    return finish(
      'fail',
      { error, details: { pastPointOfNoReturn: false, leftForResume: true } },
      { leftForResume: true },
    );
  return finish('fail', {
    error,
    details: { pastPointOfNoReturn: r.pastPointOfNoReturn },
  });
}
