import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { resourcePath, type ResourceRef } from './resources';
import { ApiError, type RestClient } from './rest';
import { keyOf, type KubeObject } from './types';

export interface InformerHandlers<T> {
  add?(obj: T): void;
  update?(oldObj: T, obj: T): void;
  delete?(obj: T): void;
}

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** every resyncMs each cached object is delivered again as an update, so missed work is retried */
  resyncMs?: number;
  /**
   * told of each failed list or watch (the informer retries on its own; 410 Gone is not reported, a re-list
   * is the normal answer to it), so a caller can log an API server it cannot reach
   */
  onError?(err: unknown): void;
}

/**
 * List-then-watch cache of one resource, as client-go's reflector + shared informer: it lists to get a
 * consistent snapshot and a resourceVersion, watches from there, resumes a dropped watch from the last
 * resourceVersion seen, and re-lists when the API server answers 410 Gone (the version was compacted).
 */
export class Informer<T extends KubeObject> {
  private readonly store = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private resourceVersion = '';
  private stopped = false;
  private abort?: AbortController;
  private resyncTimer?: NodeJS.Timeout;
  private synced!: Promise<void>;
  private markSynced!: () => void;
  private loop?: Promise<void>;
  private wake?: () => void;
  private readonly watch: Watch;
  /** how often the informer listed and watched: the re-list after a 410 shows here */
  readonly stats = { lists: 0, watches: 0 };

  constructor(
    kc: KubeConfig,
    private readonly rest: RestClient,
    readonly resource: ResourceRef,
    private readonly opts: InformerOptions = {},
  ) {
    this.watch = new Watch(kc);
    this.synced = new Promise(r => (this.markSynced = r));
  }

  addHandlers(h: InformerHandlers<T>): void {
    this.handlers.push(h);
    // Late subscribers see the current state as adds, like client-go's AddEventHandler.
    for (const obj of this.store.values()) h.add?.(obj);
  }

  get(key: string): T | undefined {
    return this.store.get(key);
  }

  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(namespace ? `${namespace}/${name}` : name);
  }

  list(namespace?: string): T[] {
    const all = [...this.store.values()];
    return namespace === undefined
      ? all
      : all.filter(o => o.metadata?.namespace === namespace);
  }

  /** Resolves once the first list has been stored. */
  hasSynced(): Promise<void> {
    return this.synced;
  }

  start(): Promise<void> {
    if (!this.loop) {
      this.loop = this.run();
      if (this.opts.resyncMs) {
        this.resyncTimer = setInterval(() => this.resync(), this.opts.resyncMs);
        this.resyncTimer.unref();
      }
    }
    return this.synced;
  }

  /** waits, but wakes at once on stop() so shutdown never sits out a backoff */
  private sleep(ms: number): Promise<void> {
    return new Promise(r => {
      const t = setTimeout(r, ms);
      this.wake = () => {
        clearTimeout(t);
        r();
      };
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.abort?.abort();
    this.markSynced();
    await this.loop;
  }

  private resync(): void {
    for (const obj of this.store.values())
      for (const h of this.handlers) h.update?.(obj, obj);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        const began = Date.now();
        const outcome = await this.watchOnce();
        if (outcome === 'gone') this.resourceVersion = '';
        failures = 0;
        // A server that keeps closing watches at once must not turn this loop into a busy one.
        if (Date.now() - began < 500 && !this.stopped)
          await this.sleep(100 + Math.random() * 200);
      } catch (e) {
        if (this.stopped) break;
        if (e instanceof ApiError && e.code === 410) this.resourceVersion = '';
        else this.report(e);
        failures++;
        // Back off so an unavailable API server is not hammered; jitter spreads the informers apart.
        await this.sleep(
          Math.min(100 * 2 ** Math.min(failures, 6), 5000) *
            (0.5 + Math.random()),
        );
      }
    }
  }

  private query(): Record<string, string | undefined> {
    return {
      labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector,
    };
  }

  private async relist(): Promise<void> {
    this.stats.lists++;
    const items: T[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.rest.list<T>(this.resource, this.opts.namespace, {
        ...this.query(),
        limit: 500,
        continue: cont,
      });
      items.push(...page.items);
      cont = page.metadata?.continue || undefined;
      rv = page.metadata?.resourceVersion ?? '';
    } while (cont);
    const fresh = new Map(items.map(o => [keyOf(o), o] as const));
    for (const [key, old] of this.store) {
      if (!fresh.has(key)) {
        this.store.delete(key);
        this.emit('delete', old);
      }
    }
    for (const [key, obj] of fresh) {
      const old = this.store.get(key);
      this.store.set(key, obj);
      if (old) this.emit('update', obj, old);
      else this.emit('add', obj);
    }
    this.resourceVersion = rv;
    this.markSynced();
  }

  private report(err: unknown): void {
    try {
      this.opts.onError?.(err);
    } catch {
      // Reporting must not stop the informer either.
    }
  }

  private emit(type: 'add' | 'update' | 'delete', obj: T, old?: T): void {
    for (const h of this.handlers) {
      try {
        if (type === 'add') h.add?.(obj);
        else if (type === 'update') h.update?.(old as T, obj);
        else h.delete?.(obj);
      } catch {
        // A handler bug must not stop the watch: handlers only enqueue keys.
      }
    }
  }

  private watchOnce(): Promise<'closed' | 'gone'> {
    this.stats.watches++;
    return new Promise((resolve, reject) => {
      let gone = false;
      const path = resourcePath(this.resource, this.opts.namespace);
      // Real reflectors ask the server to end the watch after a random 5-10 minutes and then resume.
      const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
      const onEvent = (type: string, obj: T & { code?: number }) => {
        if (type === 'ERROR') {
          if (obj?.code === 410) gone = true;
          else this.report(obj);
          this.abort?.abort();
          return;
        }
        const rv = obj?.metadata?.resourceVersion;
        if (type === 'BOOKMARK') {
          if (rv) this.resourceVersion = rv;
          return;
        }
        const key = keyOf(obj);
        if (type === 'ADDED' || type === 'MODIFIED') {
          const old = this.store.get(key);
          this.store.set(key, obj);
          if (old) this.emit('update', obj, old);
          else this.emit('add', obj);
        } else if (type === 'DELETED') {
          const old = this.store.get(key);
          this.store.delete(key);
          this.emit('delete', old ?? obj);
        }
        if (rv) this.resourceVersion = rv;
      };
      const onDone = (err: unknown) => {
        const code = (err as { statusCode?: number; code?: number } | null)
          ?.statusCode;
        if (gone || code === 410) resolve('gone');
        else if (
          err &&
          !this.stopped &&
          (err as { name?: string }).name !== 'AbortError'
        )
          reject(err);
        else resolve('closed');
      };
      this.watch
        .watch(
          path,
          {
            ...this.query(),
            resourceVersion: this.resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds,
          },
          onEvent,
          onDone,
        )
        .then(ctrl => {
          this.abort = ctrl;
          if (this.stopped) ctrl.abort();
        }, reject);
    });
  }
}
