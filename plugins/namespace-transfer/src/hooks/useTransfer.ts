import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  TransferDetail,
  TransferLogEvent,
  TransferSignal,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi, namespaceTransferApiRef } from '../api';
import { coalesce } from '../lib/coalesce';
import { hasPatch, patchTransfer } from './patchTransfer';
import { useTransferSignals } from './useTransferSignals';

/** events per request; a page this full means more may follow */
export const EVENTS_PAGE_SIZE = 500;

type TransferState = {
  id: string;
  detail?: TransferDetail;
  events: TransferLogEvent[];
  loading: boolean;
  error?: Error;
};

/** What {@link useTransfer} returns. */
export type UseTransferResult = {
  detail?: TransferDetail;
  events: TransferLogEvent[];
  loading: boolean;
  error?: Error;
  live: boolean;
  refresh(): void;
  replace(transfer: TransferSummary): void;
};

type Update = (change: (state: TransferState) => TransferState) => void;

/**
 * Keeps one transfer and its event log up to date for as long as it is followed: reads are serialized
 * and bursts folded (see coalesce), and nothing is written once `stop` was called.
 */
function followTransfer(
  api: NamespaceTransferApi,
  id: string,
  setState: Update,
) {
  let stopped = false;
  let lastEventId: string | undefined;
  const update: Update = change => {
    if (!stopped) setState(change);
  };
  const report = (error: Error) => update(s => ({ ...s, error }));

  // figures signalled while the transfer is being read may be newer than its answer, and no later read
  // need come (figures alone read nothing): they are applied again on top of the answer
  let patchedDuringRead: TransferSignal[] | undefined;

  const readDetail = coalesce(async () => {
    patchedDuringRead = [];
    try {
      const answer = await api.getTransfer(id);
      const transfer = patchedDuringRead.reduce(patchTransfer, answer.transfer);
      update(s => ({
        ...s,
        detail: { ...answer, transfer },
        error: undefined,
      }));
    } finally {
      patchedDuringRead = undefined;
    }
  });

  // the log only grows: read on from the last event seen until a page comes back short
  const readEvents = coalesce(async () => {
    for (;;) {
      const { events } = await api.getTransferEvents(id, {
        after: lastEventId,
        limit: EVENTS_PAGE_SIZE,
      });
      if (stopped) return;
      if (events.length > 0) {
        lastEventId = events[events.length - 1].id;
        update(s => ({ ...s, events: [...s.events, ...events] }));
      }
      if (events.length < EVENTS_PAGE_SIZE) return;
    }
  });

  const refresh = () => {
    readDetail().catch(report);
    readEvents().catch(report);
  };

  return {
    start() {
      Promise.all([readDetail(), readEvents()])
        .then(() => update(s => ({ ...s, loading: false })))
        .catch(error => update(s => ({ ...s, loading: false, error })));
    },
    stop() {
      stopped = true;
    },
    refresh,
    replace(transfer: TransferSummary) {
      update(s => (s.detail ? { ...s, detail: { ...s.detail, transfer } } : s));
    },
    onSignal(signal: TransferSignal) {
      if (signal.id !== id) return;
      if (hasPatch(signal)) {
        patchedDuringRead?.push(signal);
        update(s =>
          s.detail
            ? {
                ...s,
                detail: {
                  ...s.detail,
                  transfer: patchTransfer(s.detail.transfer, signal),
                },
              }
            : s,
        );
      }
      if (signal.state) readDetail().catch(report);
      readEvents().catch(report);
    },
  };
}

type Follower = ReturnType<typeof followTransfer>;

/**
 * One transfer, its decisions and its whole event log, kept live through signals: a phase or progress
 * update is applied in place and the new events read; a state change reads the transfer again. It never
 * polls: without the signals plugin (`live` false) it changes only on `refresh`.
 */
export function useTransfer(id: string): UseTransferResult {
  const api = useApi(namespaceTransferApiRef);
  const [state, setState] = useState<TransferState>({
    id,
    events: [],
    loading: true,
  });
  // made in the effect, not in render: StrictMode runs an effect twice, and a stopped follower stays stopped
  const follower = useRef<Follower>();

  useEffect(() => {
    const current = followTransfer(api, id, setState);
    follower.current = current;
    setState({ id, events: [], loading: true });
    current.start();
    return () => current.stop();
  }, [api, id]);

  const { live } = useTransferSignals(signal =>
    follower.current?.onSignal(signal),
  );
  const refresh = useCallback(() => follower.current?.refresh(), []);
  const replace = useCallback(
    (transfer: TransferSummary) => follower.current?.replace(transfer),
    [],
  );

  // until the effect has reset it, the state may still be another transfer's
  const current: TransferState =
    state.id === id ? state : { id, events: [], loading: true };
  return {
    detail: current.detail,
    events: current.events,
    loading: current.loading,
    error: current.error,
    live,
    refresh,
    replace,
  };
}
