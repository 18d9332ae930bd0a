/**
 * Watch streams: newline-delimited JSON events, resumable from a resourceVersion through the watch cache,
 * 410 Expired as an ERROR event when the history no longer reaches back, optional bookmarks, and
 * selector transitions reported as ADDED/DELETED the way the real cacher does.
 */
import type { ServerResponse } from 'node:http';
import { ApiError, badRequest, tooLargeResourceVersion } from '../errors';
import {
  apiVersionOf,
  type KindDescriptor,
  type KObject,
} from '../registry/types';
import type { StoreEvent } from '../watch';
import { type ApiContext, keyOf } from './context';
import { selectorFilter } from './read';

export interface OpenWatch {
  close(): void;
  resource: string;
}

export interface WatchRegistry {
  add(w: OpenWatch): void;
  delete(w: OpenWatch): void;
}

export interface WatchSettings {
  bookmarkIntervalMs: number;
}

function write(res: ServerResponse, type: string, object: unknown): void {
  res.write(`${JSON.stringify({ type, object })}\n`);
}

export function serveWatch(
  api: ApiContext,
  d: KindDescriptor,
  namespace: string | undefined,
  name: string | undefined,
  q: URLSearchParams,
  res: ServerResponse,
  open: WatchRegistry,
  settings: WatchSettings,
  /** converts event objects (kubectl asks for Tables) */
  transform: (o: KObject) => unknown = o => o,
): void {
  const filter = selectorFilter(d, q);
  const ns = d.namespaced ? namespace : undefined;
  const matches = (o: KObject | undefined) =>
    !!o &&
    (!ns || o.metadata?.namespace === ns) &&
    (!name || o.metadata?.name === name) &&
    filter(o);
  const rvParam = q.get('resourceVersion') ?? '';
  if (rvParam && !/^\d+$/.test(rvParam))
    throw badRequest(`invalid resource version: ${rvParam}`);
  const sendInitial =
    q.get('sendInitialEvents') === 'true' || rvParam === '' || rvParam === '0';
  const bookmarks = ['1', 'true'].includes(q.get('allowWatchBookmarks') ?? '');
  const timeoutSeconds = Number(q.get('timeoutSeconds') ?? 0);
  const key = keyOf(d);
  if (!sendInitial && Number(rvParam) > api.store.resourceVersion)
    throw tooLargeResourceVersion(Number(rvParam), api.store.resourceVersion);

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  const pending: StoreEvent[] = [];
  let live = false;
  let lastRv = 0;
  const deliver = (e: StoreEvent) => {
    if (e.rv <= lastRv) return;
    lastRv = e.rv;
    const now = matches(e.type === 'DELETED' ? (e.old ?? e.object) : e.object);
    const before = e.type === 'MODIFIED' ? matches(e.old) : now;
    if (e.type === 'MODIFIED' && before && !now)
      write(res, 'DELETED', transform(e.object));
    else if (e.type === 'MODIFIED' && !before && now)
      write(res, 'ADDED', transform(e.object));
    else if (now) write(res, e.type, transform(e.object));
  };
  const unsubscribe = api.store.hub.subscribe(key, e =>
    live ? deliver(e) : pending.push(e),
  );

  let bookmarkTimer: NodeJS.Timeout | undefined;
  let timeoutTimer: NodeJS.Timeout | undefined;
  const handle: OpenWatch = {
    resource: key,
    close: () => {
      unsubscribe();
      clearInterval(bookmarkTimer);
      clearTimeout(timeoutTimer);
      open.delete(handle);
      if (!res.writableEnded) res.end();
    },
  };
  open.add(handle);
  res.on('close', handle.close);

  try {
    if (sendInitial) {
      lastRv = api.store.resourceVersion;
      for (const o of api.store.list(key, ns))
        if (matches(o)) write(res, 'ADDED', transform(o));
      if (bookmarks && q.get('sendInitialEvents') === 'true') {
        write(res, 'BOOKMARK', {
          kind: d.kind,
          apiVersion: apiVersionOf(d),
          metadata: {
            resourceVersion: String(lastRv),
            annotations: { 'k8s.io/initial-events-end': 'true' },
          },
        });
      }
    } else {
      const from = Number(rvParam);
      for (const e of api.store.hub.since(key, from)) deliver(e);
      lastRv = Math.max(lastRv, from);
    }
  } catch (e) {
    if (e instanceof ApiError) {
      write(res, 'ERROR', e.status);
      handle.close();
      return;
    }
    throw e;
  }
  live = true;
  for (const e of pending.splice(0)) deliver(e);

  if (bookmarks) {
    bookmarkTimer = setInterval(() => {
      write(res, 'BOOKMARK', {
        kind: d.kind,
        apiVersion: apiVersionOf(d),
        metadata: { resourceVersion: String(api.store.resourceVersion) },
      });
    }, settings.bookmarkIntervalMs);
  }
  if (timeoutSeconds > 0)
    timeoutTimer = setTimeout(handle.close, timeoutSeconds * 1000);
}
