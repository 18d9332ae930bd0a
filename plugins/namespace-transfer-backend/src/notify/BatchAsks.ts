const MAX_BATCHES = 200;

/**
 * The claims of a batch that each set of owners was asked about so far, in this process: a batch is
 * created by one request, so its asks all pass here. Asks of one batch and owners run one after the other,
 * so that each replaces the previous in the notifications backend instead of racing it into a duplicate.
 */
export class BatchAsks {
  private readonly batches = new Map<
    string,
    { claims: string[]; last: Promise<void> }
  >();

  /** runs `send` with the claims asked about so far, this one last, after the previous send of `key` */
  async add(
    key: string,
    claim: string,
    send: (claims: string[]) => Promise<void>,
  ): Promise<void> {
    let entry = this.batches.get(key);
    if (!entry) {
      entry = { claims: [], last: Promise.resolve() };
      this.batches.set(key, entry);
      // the oldest batches are forgotten first: their requests were all stored long ago
      while (this.batches.size > MAX_BATCHES)
        this.batches.delete(this.batches.keys().next().value!);
    }
    if (!entry.claims.includes(claim)) entry.claims.push(claim);
    const claims = [...entry.claims];
    const run = entry.last.then(() => send(claims));
    // the next send waits for this one, whether or not it failed (its failure is the caller's)
    entry.last = run.catch(() => undefined);
    return run;
  }
}
