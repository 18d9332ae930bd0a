import type { LoggerService } from '@backstage/backend-plugin-api';
import type { CarriedProgress, Lease, RunLeases, Transfer } from '../store';
import { TransferRun, type TransferRunDeps } from './TransferRun';

export interface TransferWorkerOptions extends TransferRunDeps {
  /** this replica's name in the leases it holds (unique per process) */
  holder: string;
  runs: RunLeases;
  logger: LoggerService;
}

/** The clusters at their limit: a claim leaves transfers from or to them for later. */
export function clustersAtLimit(
  running: Iterable<TransferRun>,
  perCluster: number,
): string[] {
  const counts = new Map<string, number>();
  for (const r of running)
    for (const c of r.clusters) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].filter(([, n]) => n >= perCluster).map(([c]) => c);
}

/**
 * Claims what may run (approved transfers, staged ones whose cut over is due or that were cancelled, and
 * running ones whose lease ended: a crashed or stopped replica's) as long as this replica has slots, under
 * the global and per-cluster limits. It looks on every poll interval, when a run ends, and when told
 * (`wake`, e.g. after an approval on this replica). `stop` hands every run over.
 */
export class TransferWorker {
  private readonly active = new Map<string, TransferRun>();
  private timer?: NodeJS.Timeout;
  private claiming?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(private readonly o: TransferWorkerOptions) {}

  start(): void {
    this.o.logger.info(
      `transfer worker ${this.o.holder} started (at most ${this.o.config.concurrency.global} transfers, ${this.o.config.concurrency.perCluster} per cluster)`,
    );
    this.timer = setInterval(() => this.wake(), this.o.config.pollMs);
    this.wake();
  }

  /** The transfers this replica runs now. */
  get running(): string[] {
    return [...this.active.keys()];
  }

  /** Looks for work now (one claim round at a time; a wake during one runs another after it). */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = this.claimRound().finally(() => {
      this.claiming = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Stops claiming and hands every run over without rolling back: another replica resumes them. */
  async stop(reason = 'the backend is stopping'): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.claiming;
    await Promise.all([...this.active.values()].map(r => r.handOver(reason)));
    this.o.logger.info(`transfer worker ${this.o.holder} stopped`);
  }

  private async claimRound(): Promise<void> {
    const { global, perCluster } = this.o.config.concurrency;
    while (!this.stopped && this.active.size < global) {
      let claim;
      try {
        claim = await this.o.runs.claimNext({
          holder: this.o.holder,
          ttlMs: this.o.config.leaseMs,
          skipClusters: clustersAtLimit(this.active.values(), perCluster),
        });
      } catch (e) {
        this.o.logger.warn(`could not claim a transfer: ${String(e)}`);
        return;
      }
      if (!claim) return;
      this.begin(claim);
    }
  }

  private begin({
    transfer,
    lease,
    from,
    carried,
  }: {
    transfer: Transfer;
    lease: Lease;
    from: Transfer['state'];
    carried: CarriedProgress;
  }): void {
    this.o.logger.info(
      `${this.o.holder} runs transfer ${transfer.id} (from ${from}, epoch ${lease.epoch})`,
    );
    const run = new TransferRun(lease, transfer, carried, this.o);
    this.active.set(transfer.id, run);
    if (from !== 'running')
      void this.o.notices.stateChanged(transfer, {
        from,
        action: 'start',
      });
    void run.done.finally(() => {
      this.active.delete(transfer.id);
      // a slot came free
      this.wake();
    });
  }
}
