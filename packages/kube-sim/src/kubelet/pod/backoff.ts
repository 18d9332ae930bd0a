/**
 * The kubelet's container restart back-off: the first restart is immediate, then 10s doubling up to
 * 5 minutes; a container that ran for 10 minutes without failing starts over.
 */
export class RestartBackoff {
  private delaySec = 0;
  static readonly INITIAL = 10;
  static readonly MAX = 300;
  static readonly RESET_AFTER_MS = 10 * 60_000;

  /** ms to wait from now before the next start, given when the last run finished and how long it ran */
  remaining(finishedAt: Date, ranMs: number, now = Date.now()): number {
    if (ranMs >= RestartBackoff.RESET_AFTER_MS) this.delaySec = 0;
    if (this.delaySec === 0) return 0;
    return Math.max(0, finishedAt.getTime() + this.delaySec * 1000 - now);
  }

  /** call when a restart happens: the next one waits longer */
  advance(): void {
    this.delaySec =
      this.delaySec === 0
        ? RestartBackoff.INITIAL
        : Math.min(this.delaySec * 2, RestartBackoff.MAX);
  }

  get seconds(): number {
    return this.delaySec;
  }
}
