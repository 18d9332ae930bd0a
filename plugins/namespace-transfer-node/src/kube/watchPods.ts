import {
  CoreV1Api,
  Watch,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { httpStatus, withRetry } from '../clusters';
import { sleep, WaitTimeoutError } from './poll';

type Outcome<T> = { value: T } | { relist: true } | { error: unknown };

export interface WatchPodsOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** describes what never happened, for the timeout message */
  what: string;
  fieldSelector?: string;
  labelSelector?: string;
}

/**
 * Waits until `check` returns a value for the current pods of a namespace (those the selectors match).
 * A list gives the state and its resourceVersion, a watch from there delivers each change as it happens:
 * the end of a sync or of the last application pod is seen at once, where a poll would see it up to an
 * interval late (inside the downtime of a cutover). A dropped watch, or one whose version expired (410),
 * lists again.
 */
export async function waitForPods<T>(
  kc: KubeConfig,
  namespace: string,
  check: (pods: V1Pod[]) => T | undefined,
  opts: WatchPodsOptions,
): Promise<T> {
  const core = kc.makeApiClient(CoreV1Api);
  const deadline = Date.now() + opts.timeoutMs;
  const selectors = {
    ...(opts.fieldSelector ? { fieldSelector: opts.fieldSelector } : {}),
    ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
  };
  const timedOut = () =>
    new WaitTimeoutError(
      `timed out after ${Math.round(opts.timeoutMs / 1000)}s waiting for ${opts.what}`,
    );
  for (let quickEnds = 0; ;) {
    opts.signal?.throwIfAborted();
    if (Date.now() >= deadline) throw timedOut();
    // a cluster that is away is waited for by the caller's policy (a running transfer: minutes), and a
    // cancel still ends that wait
    const list = await withRetry(
      () => core.listNamespacedPod({ namespace, ...selectors }),
      { signal: opts.signal },
    );
    const pods = new Map<string, V1Pod>();
    for (const p of list.items) pods.set(p.metadata!.name!, p);
    const now = check([...pods.values()]);
    if (now !== undefined) return now;
    // an abort during the list fired before the listener below exists: it would never be heard
    opts.signal?.throwIfAborted();
    const watchedAt = Date.now();
    const outcome = await new Promise<Outcome<T>>(resolve => {
      let settled = false;
      let controller: AbortController | undefined;
      const cleanups: Array<() => void> = [];
      const finish = (r: Outcome<T>) => {
        if (settled) return;
        settled = true;
        for (const c of cleanups) c();
        controller?.abort();
        resolve(r);
      };
      const timer = setTimeout(
        () => finish({ error: timedOut() }),
        Math.max(0, deadline - Date.now()),
      );
      cleanups.push(() => clearTimeout(timer));
      const onAbort = () => finish({ error: opts.signal!.reason });
      opts.signal?.addEventListener('abort', onAbort);
      cleanups.push(() => opts.signal?.removeEventListener('abort', onAbort));
      new Watch(kc)
        .watch(
          `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
          {
            ...selectors,
            resourceVersion: list.metadata?.resourceVersion,
            allowWatchBookmarks: true,
          },
          (type, obj: V1Pod) => {
            if (type === 'ERROR') return finish({ relist: true }); // e.g. 410 Gone
            const name = obj?.metadata?.name;
            if (!name || type === 'BOOKMARK') return undefined;
            if (type === 'DELETED') pods.delete(name);
            else pods.set(name, obj);
            try {
              const value = check([...pods.values()]);
              if (value !== undefined) finish({ value });
            } catch (error) {
              finish({ error });
            }
            return undefined;
          },
          // a refused watch (403: the role lacks `watch`, 401, 404) is an answer, not a dropped
          // stream: listing again would hide a missing right behind polling
          (err: unknown) =>
            finish(
              err && isRefusal(err)
                ? { error: watchRefused(err, namespace, opts.what) }
                : { relist: true },
            ),
        )
        .then(
          c => {
            controller = c;
            if (settled) c.abort();
          },
          () => finish({ relist: true }),
        );
    });
    if ('value' in outcome) return outcome.value;
    if ('error' in outcome) throw outcome.error;
    // a watch that keeps ending at once (a proxy that cuts streams) must not spin
    // (a server closing a healthy watch after minutes is not that: list again at once)
    quickEnds = Date.now() - watchedAt < 5000 ? quickEnds + 1 : 0;
    if (quickEnds)
      await sleep(
        Math.min(1000, 25 * 2 ** Math.min(quickEnds, 6)),
        opts.signal,
      );
  }
}

/** A watch the server answered with a client error (other than 410 Gone and 429): it will not work later. */
function isRefusal(e: unknown): boolean {
  const status = httpStatus(e);
  return (
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    status !== 410 &&
    status !== 429
  );
}

function watchRefused(e: unknown, namespace: string, what: string): Error {
  const status = httpStatus(e);
  return new Error(
    status === 403
      ? `forbidden: cannot watch pods in namespace ${namespace} (waiting for ${what}): the engine's role needs "watch" on pods there`
      : `watching pods in namespace ${namespace} was refused (HTTP ${status}) while waiting for ${what}`,
  );
}
