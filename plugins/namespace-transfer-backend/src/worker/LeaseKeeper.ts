import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { Lease, RunLeases, Transfer } from '../store';

export interface LeaseKeeperOptions {
  lease: Lease;
  runs: Pick<RunLeases, 'heartbeat'>;
  /** reads the row: a cancel recorded by any replica, or another holder */
  read: (id: string) => Promise<Transfer>;
  leaseMs: number;
  /** how often the row is read for a cancel (a person waits for it: seconds) */
  watchMs: number;
  logger: LoggerService;
  /** the lease is gone or about to be: stop at once, write nothing more */
  onLost: (why: string) => void;
  onCancel: () => void;
}

/**
 * Keeps a run's lease alive and watches its row. A heartbeat that fails is retried until the lease would
 * run out; then the run is given up (another replica may take it any moment, and two runs of one transfer
 * must never overlap), with a margin for the clock and the engine's last call.
 */
export class LeaseKeeper {
  private expiresAt: number;
  private readonly timers: NodeJS.Timeout[] = [];
  private lost = false;

  constructor(private readonly o: LeaseKeeperOptions) {
    this.expiresAt = Date.now() + o.leaseMs;
  }

  start(): void {
    this.timers.push(
      setInterval(() => void this.beat(), Math.max(50, this.o.leaseMs / 4)),
      setInterval(() => void this.watch(), this.o.watchMs),
    );
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
  }

  private giveUp(why: string): void {
    if (this.lost) return;
    this.lost = true;
    this.stop();
    this.o.onLost(why);
  }

  /** what is left of the lease when the run must stop: one heartbeat interval */
  private get margin(): number {
    return this.o.leaseMs / 4;
  }

  private async beat(): Promise<void> {
    if (this.lost) return;
    const sent = Date.now();
    // an earlier heartbeat that never answered (a database that hangs) counts as failed
    if (this.expiresAt - sent <= this.margin) {
      this.giveUp('the heartbeat got no answer until the lease nearly ran out');
      return;
    }
    try {
      await this.o.runs.heartbeat(this.o.lease, this.o.leaseMs);
      // the lease runs from when the heartbeat was sent: the database may have applied it any time after
      this.expiresAt = sent + this.o.leaseMs;
    } catch (e) {
      if (e instanceof ConflictError) {
        this.giveUp(e.message);
        return;
      }
      const left = this.expiresAt - Date.now();
      this.o.logger.warn(
        `heartbeat of transfer ${this.o.lease.transferId} failed (${left} ms of its lease left): ${String(e)}`,
      );
      if (left <= this.margin)
        this.giveUp(
          `heartbeats failed until the lease nearly ran out: ${String(e)}`,
        );
    }
  }

  private async watch(): Promise<void> {
    if (this.lost) return;
    try {
      const t = await this.o.read(this.o.lease.transferId);
      if (
        t.state !== 'running' ||
        t.lease?.holder !== this.o.lease.holder ||
        t.lease.epoch !== this.o.lease.epoch
      ) {
        this.giveUp(
          `transfer ${t.id} is ${t.state}, held by ${t.lease?.holder ?? 'nobody'} at epoch ${t.lease?.epoch}`,
        );
        return;
      }
      if (t.cancelRequested) this.o.onCancel();
    } catch (e) {
      // the heartbeat decides when a database that does not answer costs the lease
      this.o.logger.debug(`could not read transfer: ${String(e)}`);
    }
  }
}
