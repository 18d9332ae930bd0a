import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  TransferPage,
  TransferSignal,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi, namespaceTransferApiRef } from '../api';
import { coalesce } from '../lib/coalesce';
import { hasPatch, patchTransfer } from './patchTransfer';
import { useTransferSignals } from './useTransferSignals';

type ListState = {
  items: TransferSummary[];
  pages: number;
  nextCursor?: string;
  loading: boolean;
  loadingMore: boolean;
  error?: Error;
};

/** What {@link useTransferList} returns. */
export type UseTransferListResult = {
  items: TransferSummary[];
  /** the first page is loading */
  loading: boolean;
  /** a further page is loading */
  loadingMore: boolean;
  error?: Error;
  live: boolean;
  hasMore: boolean;
  loadMore(): void;
  refresh(): void;
  replace(transfer: TransferSummary): void;
};

const INITIAL: ListState = {
  items: [],
  pages: 0,
  loading: true,
  loadingMore: false,
};

/** How {@link useTransferList} is tuned. */
export type UseTransferListOptions = {
  /**
   * Whether a transfer still belongs in the list (e.g. still in one of the states the list was asked
   * for): one that no longer does after it was read again or replaced is dropped.
   */
  keep?: (transfer: TransferSummary) => boolean;
};

type Update = (change: (state: ListState) => ListState) => void;

function replaceIn(
  items: TransferSummary[],
  transfer: TransferSummary,
): TransferSummary[] {
  return items.map(t => (t.id === transfer.id ? transfer : t));
}

/**
 * The first page read again, in front of what further pages brought (less what the first page now holds,
 * so a transfer it pushed down stays until the next page is read from the old cursor). `newer` keeps the
 * shown version of a transfer that was read on its own after this page was asked for.
 */
function withFirstPage(
  state: ListState,
  page: TransferPage,
  newer: (id: string) => TransferSummary | undefined,
): ListState {
  const fresh = new Set(page.items.map(t => t.id));
  const keepFurther = state.pages > 1;
  const further = keepFurther ? state.items.filter(t => !fresh.has(t.id)) : [];
  return {
    ...state,
    items: [...page.items.map(t => newer(t.id) ?? t), ...further],
    pages: Math.max(state.pages, 1),
    nextCursor: keepFurther ? state.nextCursor : page.nextCursor,
    loading: false,
    error: undefined,
  };
}

function followList(
  api: NamespaceTransferApi,
  load: (cursor?: string) => Promise<TransferPage>,
  setState: (state: ListState) => void,
  keep: (transfer: TransferSummary) => boolean,
) {
  let stopped = false;
  // the follower holds the list and React renders its snapshots: signals read what is shown, not what a
  // pending state update might make of it
  let state = INITIAL;
  const update: Update = change => {
    if (stopped) return;
    const next = change(state);
    state = { ...next, items: next.items.filter(keep) };
    setState(state);
  };
  const report = (error: Error) =>
    update(s => ({ ...s, loading: false, loadingMore: false, error }));

  // reads are numbered as they are asked for, and each transfer remembers the number of the read it
  // shows: an answer asked for before the one shown (a slow page, an earlier read of the same transfer)
  // must not bring back an older state, as no later signal would correct it
  let reads = 0;
  const shownRead = new Map<string, number>();
  const isNewer = (id: string, read: number) => read > (shownRead.get(id) ?? 0);

  const readFirstPage = coalesce(async () => {
    const read = ++reads;
    const page = await load(undefined);
    update(s => {
      const shown = new Map(s.items.map(t => [t.id, t]));
      const next = withFirstPage(s, page, id =>
        isNewer(id, read) ? undefined : shown.get(id),
      );
      page.items.forEach(t => {
        if (isNewer(t.id, read)) shownRead.set(t.id, read);
      });
      return next;
    });
  });

  const readTransfer = (id: string) => {
    const read = ++reads;
    return api
      .getTransfer(id)
      .then(({ transfer }) => {
        if (!isNewer(id, read)) return;
        shownRead.set(id, read);
        update(s => ({ ...s, items: replaceIn(s.items, transfer) }));
      })
      .catch(report);
  };

  let loadingMore = false;
  return {
    start() {
      readFirstPage().catch(report);
    },
    stop() {
      stopped = true;
    },
    refresh() {
      readFirstPage().catch(report);
    },
    loadMore() {
      const cursor = state.nextCursor;
      if (loadingMore || !cursor) return;
      loadingMore = true;
      update(s => ({ ...s, loadingMore: true }));
      load(cursor)
        .then(page =>
          update(s => {
            const shown = new Set(s.items.map(t => t.id));
            return {
              ...s,
              items: [...s.items, ...page.items.filter(t => !shown.has(t.id))],
              pages: s.pages + 1,
              nextCursor: page.nextCursor,
              loadingMore: false,
            };
          }),
        )
        .catch(report)
        .finally(() => {
          loadingMore = false;
        });
    },
    replace(transfer: TransferSummary) {
      shownRead.set(transfer.id, ++reads);
      update(s => ({ ...s, items: replaceIn(s.items, transfer) }));
    },
    onSignal(signal: TransferSignal) {
      if (!state.items.some(t => t.id === signal.id)) {
        // a state nobody here has seen may be a new request that belongs in the list; figures of a
        // transfer outside the list are not this list's business
        if (signal.state) readFirstPage().catch(report);
        return;
      }
      if (hasPatch(signal)) {
        update(s => ({
          ...s,
          items: s.items.map(t =>
            t.id === signal.id ? patchTransfer(t, signal) : t,
          ),
        }));
      }
      if (signal.state) readTransfer(signal.id);
    },
  };
}

type Follower = ReturnType<typeof followList>;

/**
 * A list of transfers read page by page with `load` (a cursor for the next page, none for the first) and
 * kept live through signals: phase and progress are patched in place without a request, a state change
 * reads that one transfer again, and a state change of a transfer not in the list reads the first page
 * again (it may be a new request). It never polls. `deps` are what `load` depends on: when one changes
 * the list starts over. `options.keep` drops what no longer belongs (see {@link UseTransferListOptions}).
 */
export function useTransferList(
  load: (cursor?: string) => Promise<TransferPage>,
  deps: unknown[],
  options: UseTransferListOptions = {},
): UseTransferListResult {
  const api = useApi(namespaceTransferApiRef);
  const [state, setState] = useState<ListState>(INITIAL);
  const follower = useRef<Follower>();
  const latestLoad = useRef(load);
  latestLoad.current = load;
  const latestKeep = useRef(options.keep);
  latestKeep.current = options.keep;

  useEffect(
    () => {
      const current = followList(
        api,
        cursor => latestLoad.current(cursor),
        setState,
        transfer => latestKeep.current?.(transfer) ?? true,
      );
      follower.current = current;
      setState(INITIAL);
      current.start();
      return () => current.stop();
    },
    // the caller's deps stand for `load`, which is a new function on every render
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, ...deps],
  );

  const { live } = useTransferSignals(signal =>
    follower.current?.onSignal(signal),
  );
  const loadMore = useCallback(() => follower.current?.loadMore(), []);
  const refresh = useCallback(() => follower.current?.refresh(), []);
  const replace = useCallback(
    (transfer: TransferSummary) => follower.current?.replace(transfer),
    [],
  );

  return {
    items: state.items,
    loading: state.loading,
    loadingMore: state.loadingMore,
    error: state.error,
    live,
    hasMore: Boolean(state.nextCursor),
    loadMore,
    refresh,
    replace,
  };
}
