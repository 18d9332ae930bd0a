import type {
  Plan,
  TransferCheckpoint,
  TransferPhase,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { GIVEN_BACK } from '../rebind/run';
import { isPastPointOfNoReturn } from './pointOfNoReturn';
import type { TransferRunEvent, TransferRunOptions } from './types';

/**
 * What is known of a run so far (the plan it runs with, its last checkpoint and phase), and the gate its
 * events and checkpoints pass: once closed (handed over) it passes nothing on.
 */
export class RunRecord {
  plan?: Plan;
  checkpoint?: TransferCheckpoint;
  lastPhase?: TransferPhase;
  /** the flow entered RollingBack: whatever it ended with, it undid what it could */
  rolledBack = false;
  closed = false;

  constructor(private readonly o: TransferRunOptions) {
    this.checkpoint = o.checkpoint;
  }

  get past(): boolean {
    return isPastPointOfNoReturn(this.checkpoint, this.o.spec);
  }

  /** the run (or an earlier one) gave a rebind's volume back to its source: the transfer can only start over */
  get givenBack(): boolean {
    return this.checkpoint?.completedSteps.includes(GIVEN_BACK) ?? false;
  }

  /**
   * A flow that declared itself Failed without rolling back before its point of no return left its objects
   * for a resume (it does so only when a cluster does not answer).
   */
  get leftForResume(): boolean {
    return (
      this.lastPhase === 'Failed' &&
      !this.rolledBack &&
      !this.past &&
      !this.givenBack
    );
  }

  about() {
    return {
      plan: this.plan,
      mode: this.plan?.mode,
      checkpoint: this.checkpoint,
      pastPointOfNoReturn: this.past,
      ...(this.givenBack ? { givenBack: true } : {}),
    };
  }

  readonly onEvent = (e: TransferRunEvent) => {
    if (this.closed) return;
    if (e.type === 'phase') {
      this.lastPhase = e.phase;
      if (e.phase === 'RollingBack') this.rolledBack = true;
    }
    this.o.onEvent?.(e);
  };

  readonly onCheckpoint = async (c: TransferCheckpoint) => {
    if (this.closed) return;
    this.checkpoint = c;
    await this.o.onCheckpoint?.(c, { pastPointOfNoReturn: this.past });
  };
}
