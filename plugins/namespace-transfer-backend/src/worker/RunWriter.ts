import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type {
  Plan,
  TransferCheckpoint,
  TransferPhase,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type { TransferRunEvent } from '@namespace-transfer/plugin-namespace-transfer-node';
import type { TransferNotices } from '../notify/types';
import type {
  CarriedProgress,
  Lease,
  ProgressSummary,
  RunLeases,
  Transfer,
} from '../store';
import { ProgressAcrossPasses } from './progressAcrossPasses';

export interface RunWriterOptions {
  lease: Lease;
  transfer: Transfer;
  /** what the attempt's finished passes moved before this run (the claim read it) */
  carried: CarriedProgress;
  runs: RunLeases;
  notices: TransferNotices;
  logger: LoggerService;
  progressSampleMs: number;
  /** a write was refused: the lease is another's now */
  onLost: (why: string) => void;
}

const CHECKPOINT_TRIES = 3;

/** A progress write: the summary and, as of the same sample, what the finished passes moved. */
interface ProgressWrite {
  summary: ProgressSummary;
  carried: CarriedProgress;
}

/**
 * Writes what a run reports, in order and under its lease: the plan it goes by, phases, warnings, progress
 * (summed over the attempt's passes) at most once per sample interval, checkpoints as they come. The
 * engine's events arrive as synchronous callbacks; the writes queue behind each other so that a phase
 * never lands after the state that ends it.
 */
export class RunWriter {
  private queue: Promise<void> = Promise.resolve();
  private lastSampleAt = 0;
  private unwritten?: ProgressWrite;
  private lost = false;
  private readonly passes: ProgressAcrossPasses;
  transfer: Transfer;

  constructor(private readonly o: RunWriterOptions) {
    this.transfer = o.transfer;
    this.passes = new ProgressAcrossPasses(o.carried);
  }

  /** Stops writing (the lease is gone): whatever is queued is dropped. */
  close(): void {
    this.lost = true;
  }

  readonly onEvent = (e: TransferRunEvent): void => {
    switch (e.type) {
      case 'plan':
        this.enqueue(() => this.plan(e.plan));
        break;
      case 'phase':
        this.enqueue(() => this.phase(e.phase));
        break;
      case 'progress':
        this.progress({
          summary: this.passes.add(e.run, e.sample),
          carried: this.passes.carried,
        });
        break;
      case 'warning':
        this.enqueue(() => this.o.runs.recordWarning(this.o.lease, e.message));
        break;
      case 'cluster':
        this.enqueue(() => this.o.runs.recordWarning(this.o.lease, e.message));
        break;
      default:
        // steps show in the checkpoint that follows each
        break;
    }
  };

  /**
   * Stores a checkpoint before the engine goes on (it awaits this). A database that does not answer for a
   * few tries costs only the step's record: steps are idempotent, and a resume from the one before redoes it.
   */
  readonly onCheckpoint = async (
    checkpoint: TransferCheckpoint,
    about: { pastPointOfNoReturn: boolean },
  ): Promise<void> => {
    await this.flush();
    const carried = this.passes.finishPass();
    for (
      let attempt = 1;
      attempt <= CHECKPOINT_TRIES && !this.lost;
      attempt++
    ) {
      try {
        await this.o.runs.saveCheckpoint(this.o.lease, checkpoint, {
          ...about,
          carried,
        });
        return;
      } catch (e) {
        if (this.refused(e)) return;
        this.o.logger.warn(
          `checkpoint of transfer ${this.o.lease.transferId} not stored (try ${attempt}): ${String(e)}`,
        );
        await new Promise(r => setTimeout(r, 250 * attempt));
      }
    }
  };

  /** Waits for the queued writes, and writes the last progress sample the interval held back. */
  async flush(): Promise<void> {
    if (this.unwritten) {
      const p = this.unwritten;
      this.unwritten = undefined;
      this.enqueue(() => this.writeProgress(p));
    }
    await this.queue;
  }

  private enqueue(write: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.lost) return;
      try {
        await write();
      } catch (e) {
        if (!this.refused(e))
          this.o.logger.warn(
            `a write of transfer ${this.o.lease.transferId} failed: ${String(e)}`,
          );
      }
    });
  }

  /** A ConflictError is the fence: the lease is another's, so this run must stop writing and stop. */
  private refused(e: unknown): boolean {
    if (!(e instanceof ConflictError)) return false;
    this.lost = true;
    this.o.onLost(e.message);
    return true;
  }

  private async plan(plan: Plan): Promise<void> {
    await this.o.runs.recordRunPlan(this.o.lease, plan);
    await this.o.runs.recordChosenMode(this.o.lease, plan.mode);
    this.transfer = { ...this.transfer, runPlan: plan, chosenMode: plan.mode };
  }

  private async phase(phase: TransferPhase): Promise<void> {
    await this.o.runs.recordPhase(this.o.lease, phase);
    this.transfer = { ...this.transfer, phase };
    await this.o.notices.progressed(this.transfer, 'phase');
  }

  private progress(p: ProgressWrite): void {
    const now = Date.now();
    if (now - this.lastSampleAt < this.o.progressSampleMs) {
      this.unwritten = p;
      return;
    }
    this.lastSampleAt = now;
    this.unwritten = undefined;
    this.enqueue(() => this.writeProgress(p));
  }

  private async writeProgress(p: ProgressWrite): Promise<void> {
    await this.o.runs.recordProgress(this.o.lease, p.summary, {
      sample: true,
      carried: p.carried,
    });
    this.transfer = { ...this.transfer, progress: p.summary };
    await this.o.notices.progressed(this.transfer, 'progress');
  }
}
