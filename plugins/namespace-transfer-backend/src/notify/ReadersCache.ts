import type { Transfer } from '../store';

const DEFAULT_TTL_MS = 30_000;
const MAX_ENTRIES = 1_000;

/**
 * Who may read a transfer, kept for a short while for its phase and progress signals: those come every few
 * seconds per running transfer and would each ask the catalog again. A state change always asks afresh
 * (and refreshes the entry), so a change of owners reaches the signals at the latest with the next state.
 */
export class ReadersCache {
  private readonly entries = new Map<string, { refs: string[]; at: number }>();

  constructor(
    private readonly readersOf: (transfer: Transfer) => Promise<string[]>,
    private readonly ttlMs = DEFAULT_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async fresh(transfer: Transfer): Promise<string[]> {
    const refs = await this.readersOf(transfer);
    this.entries.delete(transfer.id);
    this.entries.set(transfer.id, { refs, at: this.now() });
    // oldest first in insertion order: trimming keeps the transfers heard of most recently
    while (this.entries.size > MAX_ENTRIES)
      this.entries.delete(this.entries.keys().next().value!);
    return refs;
  }

  /** an attempt ended: no more phase or progress signals come for it */
  forget(transferId: string): void {
    this.entries.delete(transferId);
  }

  async recent(transfer: Transfer): Promise<string[]> {
    const entry = this.entries.get(transfer.id);
    if (entry && this.now() - entry.at < this.ttlMs) return entry.refs;
    return this.fresh(transfer);
  }
}
