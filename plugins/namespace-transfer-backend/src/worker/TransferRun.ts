import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { KubeConfig } from '@kubernetes/client-node';
import type { TransferRunResult } from '@namespace-transfer/plugin-namespace-transfer-node';
import type { TransferNotices } from '../notify/types';
import type { CarriedProgress, Lease, RunLeases, Transfer } from '../store';
import type { WorkerConfig } from './config';
import { runOptionsOf, type RunTransfer } from './engine';
import { LeaseKeeper } from './LeaseKeeper';
import { runEnd } from './outcome';
import { RunWriter } from './RunWriter';

export interface TransferRunDeps {
  runs: RunLeases;
  read: (id: string) => Promise<Transfer>;
  engine: RunTransfer;
  kubeConfig: (cluster: string) => KubeConfig;
  notices: TransferNotices;
  logger: LoggerService;
  config: WorkerConfig;
  /** how often a running transfer's row is read for a cancel */
  cancelWatchMs: number;
}

/**
 * One claimed transfer, run through the engine under its lease: the lease kept alive, a cancel from any
 * replica passed on as the abort signal, the run's reports written under the lease, its end stored as a
 * move of the state machine. `handOver()` stops it without rolling back; so does a lease that is lost.
 */
export class TransferRun {
  readonly done: Promise<void>;
  private readonly cancel = new AbortController();
  private readonly handOverSignal = new AbortController();
  private handOverReason?: string;
  private lostReason?: string;
  private cancelSeen: boolean;
  private readonly keeper: LeaseKeeper;
  private readonly writer: RunWriter;
  private readonly log: LoggerService;

  constructor(
    readonly lease: Lease,
    private readonly transfer: Transfer,
    carried: CarriedProgress,
    private readonly deps: TransferRunDeps,
  ) {
    this.log = deps.logger.child({ transfer: transfer.id });
    this.cancelSeen = transfer.cancelRequested;
    const onLost = (why: string) => this.lose(why);
    this.writer = new RunWriter({
      lease,
      transfer,
      carried,
      runs: deps.runs,
      notices: deps.notices,
      logger: this.log,
      progressSampleMs: deps.config.progressSampleMs,
      onLost,
    });
    this.keeper = new LeaseKeeper({
      lease,
      runs: deps.runs,
      read: deps.read,
      leaseMs: deps.config.leaseMs,
      watchMs: deps.cancelWatchMs,
      logger: this.log,
      onLost,
      onCancel: () => this.requestCancel(),
    });
    this.done = this.run();
  }

  /** The clusters this run occupies (for the per-cluster limit). */
  get clusters(): string[] {
    return [
      ...new Set([
        this.transfer.source.cluster,
        this.transfer.destination.cluster,
      ]),
    ];
  }

  /** A graceful stop: the engine stops without rolling back and the lease is given up for another replica. */
  handOver(reason: string): Promise<void> {
    this.handOverReason ??= reason;
    this.handOverSignal.abort(new Error(reason));
    return this.done;
  }

  private lose(why: string): void {
    if (this.lostReason) return;
    this.lostReason = why;
    this.writer.close();
    this.keeper.stop();
    this.log.warn(`gave transfer ${this.transfer.id} up: ${why}`);
    this.handOverSignal.abort(new Error(why));
  }

  private requestCancel(): void {
    this.cancelSeen = true;
    if (!this.cancel.signal.aborted) {
      this.log.info(`cancel of transfer ${this.transfer.id} reached its run`);
      this.cancel.abort(new Error('cancelled'));
    }
  }

  private async run(): Promise<void> {
    this.keeper.start();
    // a cancel recorded before this run (a take-over, a staged transfer): the engine rolls a resume back
    // from its checkpoint, and stops a first run before it creates anything
    if (this.cancelSeen) this.requestCancel();
    let result: TransferRunResult;
    try {
      result = await this.deps.engine({
        ...runOptionsOf({
          transfer: this.transfer,
          kubeConfig: this.deps.kubeConfig,
          config: this.deps.config,
          now: new Date(),
        }),
        signal: this.cancel.signal,
        handOver: this.handOverSignal.signal,
        onEvent: e => this.writer.onEvent(e),
        onCheckpoint: this.writer.onCheckpoint,
      });
    } catch (e) {
      // runTransfer never throws; anything else at this boundary is a failure of the run, not of the worker
      result = {
        outcome: this.handOverSignal.signal.aborted ? 'handed-over' : 'failed',
        pastPointOfNoReturn: false,
        error: String(e),
        durationMs: 0,
      };
    }
    this.keeper.stop();
    try {
      await this.end(result);
    } catch (e) {
      if (e instanceof ConflictError) this.lose(e.message);
      else
        this.log.error(
          `could not store the end of transfer ${this.transfer.id} (${result.outcome}); its lease will expire and another run resumes it: ${String(e)}`,
        );
    }
  }

  private async end(result: TransferRunResult): Promise<void> {
    if (this.lostReason) return;
    await this.writer.flush();
    if (this.lostReason) return;
    const end = runEnd(result, {
      transfer: this.writer.transfer,
      cancelRequested: this.cancelSeen,
      now: new Date(),
      windows: this.deps.config.maintenanceWindows,
    });
    if (end.kind === 'hand-over') {
      await this.deps.runs.handOver(
        this.lease,
        this.handOverReason ?? 'the run was stopped',
      );
      this.log.info(`handed transfer ${this.transfer.id} over`);
      return;
    }
    // the point of no return as of the last step is stored with that step's checkpoint
    if (result.checkpoint && result.outcome !== 'plan-changed')
      await this.deps.runs.saveCheckpoint(this.lease, result.checkpoint, {
        pastPointOfNoReturn: result.pastPointOfNoReturn,
      });
    const after = await this.deps.runs.finishRunWith(
      this.lease,
      end.action,
      end.outcome,
      end.set,
    );
    this.log.info(
      `transfer ${this.transfer.id} ${result.outcome}: now ${after.state}`,
    );
    await this.deps.notices.stateChanged(after, {
      from: 'running',
      action: end.action,
      // the owners asked again read what changed since they approved
      ...(result.outcome === 'plan-changed' && result.planChanges?.length
        ? { comment: result.planChanges.join('; ') }
        : {}),
    });
  }
}
