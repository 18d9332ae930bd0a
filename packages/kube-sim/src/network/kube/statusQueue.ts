import { describeError } from '../../client/errors';

const RETRY_MS = 2000;

/**
 * At most one status write per object at a time. An object version a write has already been made from
 * is not written again (the watch will bring the new version; until then the cache is stale, and writing
 * from it would only earn a 409). When a write ends, the owner is asked to reconcile again, because
 * changes that came in meanwhile were skipped; after a failure that happens only after a pause.
 */
export class StatusQueue {
  private readonly writing = new Set<string>();
  private readonly writtenFrom = new Map<string, string | undefined>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly log: (msg: string) => void,
    private readonly kick: () => void,
  ) {}

  /** `version` is the resourceVersion of the object the write is computed from */
  schedule(
    key: string,
    version: string | undefined,
    write: () => Promise<void>,
  ): void {
    if (this.stopped || this.writing.has(key)) return;
    if (version !== undefined && this.writtenFrom.get(key) === version) return;
    this.writing.add(key);
    write().then(
      () => {
        this.writing.delete(key);
        this.writtenFrom.set(key, version);
        if (!this.stopped) this.kick();
      },
      err => {
        if (!this.stopped)
          this.log(`writing status of ${key}: ${describeError(err)}`);
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.writing.delete(key);
          if (!this.stopped) this.kick();
        }, RETRY_MS);
        timer.unref();
        this.timers.add(timer);
      },
    );
  }

  /** forget objects that are gone */
  retain(keys: Set<string>): void {
    for (const key of this.writtenFrom.keys())
      if (!keys.has(key)) this.writtenFrom.delete(key);
  }

  stop(): void {
    this.stopped = true;
    this.timers.forEach(t => clearTimeout(t));
    this.timers.clear();
  }
}
