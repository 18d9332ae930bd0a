import { PropsWithChildren } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { TransferDetail } from '@namespace-transfer/plugin-namespace-transfer-common';
import { namespaceTransferApiRef } from '../api';
import { fakeSignalApi, sampleEvent, sampleTransfer } from '../lib/testing';
import { EVENTS_PAGE_SIZE, useTransfer } from './useTransfer';

const running = sampleTransfer({
  id: 't1',
  state: 'running',
  phase: 'Provisioning',
  allowedActions: ['cancel'],
});

function setup(
  options: { signals?: boolean; eventCount?: number; fail?: Error } = {},
) {
  const signals = fakeSignalApi();
  let log = Array.from({ length: options.eventCount ?? 2 }, (_, i) =>
    sampleEvent('t1', i + 1, 'phase', { phase: 'Planning' }),
  );
  let detail: TransferDetail = { transfer: running, decisions: [] };
  const api = {
    getTransfer: jest.fn(async (_id: string) => {
      if (options.fail) throw options.fail;
      return detail;
    }),
    getTransferEvents: jest.fn(
      async (_id: string, query?: { after?: string; limit?: number }) => {
        const after = Number(query?.after ?? 0);
        return {
          events: log.filter(e => Number(e.id) > after).slice(0, query?.limit),
        };
      },
    ),
  };
  const apis: any[] = [[namespaceTransferApiRef, api]];
  if (options.signals !== false) apis.push([signalApiRef, signals]);
  const wrapper = ({ children }: PropsWithChildren<{}>) => (
    <TestApiProvider apis={apis as any}>{children}</TestApiProvider>
  );
  const hook = renderHook(() => useTransfer('t1'), { wrapper });
  return {
    api,
    signals,
    hook,
    append(kind: 'phase' | 'progress' | 'state', payload = {}) {
      log = [...log, sampleEvent('t1', log.length + 1, kind, payload)];
    },
    setDetail(next: TransferDetail) {
      detail = next;
    },
    calls: () =>
      api.getTransfer.mock.calls.length +
      api.getTransferEvents.mock.calls.length,
  };
}

describe('useTransfer', () => {
  afterEach(() => jest.useRealTimers());

  it('loads the transfer and its whole event log, page by page', async () => {
    const { hook, api } = setup({ eventCount: EVENTS_PAGE_SIZE + 3 });
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    expect(hook.result.current.detail?.transfer.id).toBe('t1');
    expect(hook.result.current.events).toHaveLength(EVENTS_PAGE_SIZE + 3);
    expect(hook.result.current.live).toBe(true);
    expect(api.getTransferEvents.mock.calls.map(c => c[1]?.after)).toEqual([
      undefined,
      String(EVENTS_PAGE_SIZE),
    ]);
  });

  it('patches phase and progress in place and reads only the new events', async () => {
    const { hook, api, signals, append } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    append('progress', { bytesDone: 512 });

    act(() =>
      signals.send({
        id: 't1',
        phase: 'Syncing',
        progress: { bytesDone: 512, bytesTotal: 1024 },
      }),
    );

    expect(hook.result.current.detail?.transfer.phase).toBe('Syncing');
    expect(hook.result.current.detail?.transfer.progress).toEqual({
      bytesDone: 512,
      bytesTotal: 1024,
    });
    await waitFor(() => expect(hook.result.current.events).toHaveLength(3));
    expect(api.getTransfer).toHaveBeenCalledTimes(1);
    expect(api.getTransferEvents).toHaveBeenLastCalledWith('t1', {
      after: '2',
      limit: EVENTS_PAGE_SIZE,
    });
  });

  it('reads the transfer again, exactly once, on a state signal', async () => {
    const { hook, api, signals, setDetail } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    setDetail({
      transfer: { ...running, state: 'succeeded', allowedActions: [] },
      decisions: [],
    });

    act(() => signals.send({ id: 't1', state: 'succeeded' }));

    await waitFor(() =>
      expect(hook.result.current.detail?.transfer.state).toBe('succeeded'),
    );
    expect(api.getTransfer).toHaveBeenCalledTimes(2);
  });

  it('keeps a phase signalled while the transfer was being read, over the older answer', async () => {
    const { hook, api, signals } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    let answer!: (detail: TransferDetail) => void;
    api.getTransfer.mockImplementationOnce(
      () => new Promise<TransferDetail>(resolve => (answer = resolve)),
    );

    act(() => signals.send({ id: 't1', state: 'running' }));
    act(() =>
      signals.send({
        id: 't1',
        phase: 'Verifying',
        progress: { bytesDone: 9 },
      }),
    );
    await act(async () =>
      answer({
        transfer: { ...running, phase: 'Syncing', progress: { bytesDone: 4 } },
        decisions: [],
      }),
    );

    expect(api.getTransfer).toHaveBeenCalledTimes(2);
    expect(hook.result.current.detail?.transfer.phase).toBe('Verifying');
    expect(hook.result.current.detail?.transfer.progress.bytesDone).toBe(9);
  });

  it('applies two messages sent back to back', async () => {
    const { hook, signals } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));

    act(() => {
      signals.send({ id: 't1', phase: 'Syncing' });
      signals.send({ id: 't1', progress: { bytesDone: 7 } });
    });

    expect(hook.result.current.detail?.transfer.phase).toBe('Syncing');
    expect(hook.result.current.detail?.transfer.progress.bytesDone).toBe(7);
  });

  it("ignores another transfer's signals", async () => {
    const { hook, signals, calls } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    const before = calls();

    act(() => signals.send({ id: 't2', phase: 'Syncing', state: 'running' }));

    expect(hook.result.current.detail?.transfer.phase).toBe('Provisioning');
    expect(calls()).toBe(before);
  });

  it('asks nothing while idle: no polling', async () => {
    jest.useFakeTimers();
    const { hook, calls } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    const before = calls();

    await act(async () => {
      jest.advanceTimersByTime(10 * 60 * 1000);
    });

    expect(calls()).toBe(before);
  });

  it('unsubscribes on unmount', async () => {
    const { hook, signals } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    expect(signals.subscriberCount).toBe(1);

    hook.unmount();

    expect(signals.subscriberCount).toBe(0);
  });

  it('works without the signals plugin, not live', async () => {
    const { hook } = setup({ signals: false });
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    expect(hook.result.current.live).toBe(false);
    expect(hook.result.current.detail?.transfer.id).toBe('t1');
  });

  it('reports a failed load', async () => {
    const { hook } = setup({ fail: new Error('no such transfer') });
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    expect(hook.result.current.error?.message).toBe('no such transfer');
    expect(hook.result.current.detail).toBeUndefined();
  });
});
