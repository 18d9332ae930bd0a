import { KubeConfig, Watch } from '@kubernetes/client-node';
import { httpStatusOf } from '../../client/errors';

/** The parts of an object the informer needs; everything else is the caller's type. */
export interface ObjectWithMeta {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

export interface InformerOptions<T> {
  kubeConfig: KubeConfig;
  /** e.g. `/api/v1/services`: the watch path */
  path: string;
  list(): Promise<ListResult<T>>;
  /** called after every change of the cache (add, modify, delete, re-list) */
  onChange(): void;
  onError?(err: unknown): void;
}

export interface Informer<T> {
  /** resolves after the first successful list */
  ready: Promise<void>;
  items(): T[];
  get(namespace: string | undefined, name: string): T | undefined;
  stop(): void;
}

export function objectKey(
  namespace: string | undefined,
  name: string | undefined,
): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

const BACKOFF_MS = [100, 250, 500, 1000, 2000];

/**
 * List, then watch from the list's resourceVersion, as client-go's reflector does: a watch that ends is
 * resumed from the last resourceVersion seen; a 410 Gone (the version is too old, as after compaction or an
 * API server restart) or repeated failures lead to a fresh list that replaces the cache.
 */
export function startInformer<T extends ObjectWithMeta>(
  opts: InformerOptions<T>,
): Informer<T> {
  const cache = new Map<string, T>();
  const watch = new Watch(opts.kubeConfig);
  let resourceVersion = '';
  let stopped = false;
  let failures = 0;
  let current: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>(resolve => (markReady = resolve));

  const later = (fn: () => void) => {
    if (stopped) return;
    const delay = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)];
    timer = setTimeout(fn, delay);
  };

  const relist = async (): Promise<void> => {
    if (stopped) return;
    try {
      const result = await opts.list();
      if (stopped) return;
      cache.clear();
      for (const item of result.items)
        cache.set(
          objectKey(item.metadata?.namespace, item.metadata?.name),
          item,
        );
      resourceVersion = result.resourceVersion;
      failures = 0;
      markReady();
      opts.onChange();
      void startWatch();
    } catch (err) {
      failures++;
      opts.onError?.(err);
      later(() => void relist());
    }
  };

  async function startWatch(): Promise<void> {
    if (stopped) return;
    let gone = false;
    const onEvent = (type: string, obj: unknown) => {
      if (stopped) return;
      if (type === 'ERROR') {
        // a Status object in the stream: 410 means our resourceVersion is too old to resume from
        if (httpStatusOf(obj) === 410) {
          gone = true;
          current?.abort(); // do not wait for the server to end the stream
        } else opts.onError?.(obj);
        return;
      }
      const o = obj as T;
      const rv = o.metadata?.resourceVersion;
      if (rv) resourceVersion = rv;
      if (type === 'BOOKMARK') return;
      const key = objectKey(o.metadata?.namespace, o.metadata?.name);
      if (type === 'DELETED') cache.delete(key);
      else cache.set(key, o);
      failures = 0;
      opts.onChange();
    };
    const onDone = (err: unknown) => {
      current = undefined;
      if (stopped) return;
      if (err) {
        failures++;
        if (httpStatusOf(err) === 410) gone = true;
        else if (!gone) opts.onError?.(err); // after a 410 the error is our own abort
      }
      if (gone || failures >= 3) later(() => void relist());
      else later(() => void startWatch());
    };
    try {
      const controller = await watch.watch(
        opts.path,
        { resourceVersion, allowWatchBookmarks: true },
        onEvent,
        onDone,
      );
      if (stopped) controller.abort();
      else current = controller;
    } catch (err) {
      onDone(err);
    }
  }

  void relist();

  return {
    ready,
    items: () => [...cache.values()],
    get: (namespace, name) => cache.get(objectKey(namespace, name)),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      current?.abort();
    },
  };
}
