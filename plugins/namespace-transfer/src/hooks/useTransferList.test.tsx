import { PropsWithChildren } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  TransferPage,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { namespaceTransferApiRef } from '../api';
import { fakeSignalApi, sampleTransfer } from '../lib/testing';
import { useTransferList } from './useTransferList';

const a = sampleTransfer({ id: 'a', state: 'running', phase: 'Syncing' });
const b = sampleTransfer({ id: 'b' });
const c = sampleTransfer({ id: 'c', state: 'succeeded' });

/** a promise the test settles when it chooses */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>(r => {
    resolve = r;
  });
  return { promise, resolve };
}

function setup() {
  const signals = fakeSignalApi();
  let firstPage: TransferPage = { items: [a, b], nextCursor: 'after-b' };
  const load = jest.fn(async (cursor?: string) =>
    cursor === 'after-b' ? { items: [c] } : firstPage,
  );
  let stored: Record<string, TransferSummary> = { a, b, c };
  const api = {
    getTransfer: jest.fn(async (id: string) => ({
      transfer: stored[id],
      decisions: [],
    })),
  };
  const wrapper = ({ children }: PropsWithChildren<{}>) => (
    <TestApiProvider
      apis={[
        [namespaceTransferApiRef, api as any],
        [signalApiRef, signals],
      ]}
    >
      {children}
    </TestApiProvider>
  );
  const hook = renderHook(() => useTransferList(load, []), { wrapper });
  return {
    hook,
    load,
    api,
    signals,
    store(t: TransferSummary) {
      stored = { ...stored, [t.id]: t };
    },
    setFirstPage(page: TransferPage) {
      firstPage = page;
    },
    calls: () => load.mock.calls.length + api.getTransfer.mock.calls.length,
    ids: () => hook.result.current.items.map(t => t.id),
  };
}

describe('useTransferList', () => {
  afterEach(() => jest.useRealTimers());

  it('reads the first page, then the next on loadMore', async () => {
    const { hook, ids, load } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    expect(ids()).toEqual(['a', 'b']);
    expect(hook.result.current.hasMore).toBe(true);

    act(() => hook.result.current.loadMore());

    await waitFor(() => expect(ids()).toEqual(['a', 'b', 'c']));
    expect(hook.result.current.hasMore).toBe(false);
    expect(load.mock.calls).toEqual([[undefined], ['after-b']]);
  });

  it('patches progress and phase in place without any request', async () => {
    const { hook, signals, calls } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    const before = calls();

    act(() =>
      signals.send({
        id: 'a',
        phase: 'Verifying',
        progress: { bytesDone: 10, rateBytesPerSecond: 5 },
      }),
    );

    const patched = hook.result.current.items[0];
    expect(patched.phase).toBe('Verifying');
    expect(patched.progress).toEqual({ bytesDone: 10, rateBytesPerSecond: 5 });
    expect(calls()).toBe(before);
  });

  it('applies two messages sent back to back', async () => {
    const { hook, signals } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));

    act(() => {
      signals.send({ id: 'a', progress: { bytesDone: 1 } });
      signals.send({ id: 'b', phase: 'Planning' });
    });

    expect(hook.result.current.items[0].progress.bytesDone).toBe(1);
    expect(hook.result.current.items[1].phase).toBe('Planning');
  });

  it('reads one transfer again, once, on its state signal', async () => {
    const { hook, signals, api, load, store } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    store({ ...b, state: 'approved', approvedBy: ['user:default/bob'] });

    act(() => signals.send({ id: 'b', state: 'approved' }));

    await waitFor(() =>
      expect(hook.result.current.items[1].state).toBe('approved'),
    );
    expect(api.getTransfer).toHaveBeenCalledTimes(1);
    expect(api.getTransfer).toHaveBeenCalledWith('b');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('reads the first page again when an unknown transfer changes state, keeping further pages', async () => {
    const { hook, signals, load, setFirstPage, ids } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    act(() => hook.result.current.loadMore());
    await waitFor(() => expect(ids()).toEqual(['a', 'b', 'c']));
    const d = sampleTransfer({ id: 'd' });
    setFirstPage({ items: [d, a], nextCursor: 'after-a' });

    act(() => signals.send({ id: 'd', state: 'pending-approval' }));

    await waitFor(() => expect(ids()).toEqual(['d', 'a', 'b', 'c']));
    expect(load).toHaveBeenCalledTimes(3);
    expect(hook.result.current.hasMore).toBe(false);
  });

  it('keeps a state read after an older first page read that answers later', async () => {
    const { hook, signals, api, load, store } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    const olderPage = deferred<TransferPage>();
    load.mockImplementationOnce(() => olderPage.promise);

    // a new transfer's signal starts a first-page read; a's end is read on its own and answers first
    act(() => signals.send({ id: 'new', state: 'pending-approval' }));
    store({ ...a, state: 'succeeded' });
    act(() => signals.send({ id: 'a', state: 'succeeded' }));
    await waitFor(() =>
      expect(hook.result.current.items[0].state).toBe('succeeded'),
    );
    await act(async () => olderPage.resolve({ items: [a, b] }));

    expect(load).toHaveBeenCalledTimes(2);
    expect(api.getTransfer).toHaveBeenCalledWith('a');
    expect(hook.result.current.items.map(t => [t.id, t.state])).toEqual([
      ['a', 'succeeded'],
      ['b', 'pending-approval'],
    ]);
  });

  it('drops an item that no longer matches after it was read again', async () => {
    const signals = fakeSignalApi();
    const stored = { ...a, state: 'succeeded' as const };
    const api = {
      getTransfer: jest.fn(async () => ({ transfer: stored, decisions: [] })),
    };
    const wrapper = ({ children }: PropsWithChildren<{}>) => (
      <TestApiProvider
        apis={[
          [namespaceTransferApiRef, api as any],
          [signalApiRef, signals],
        ]}
      >
        {children}
      </TestApiProvider>
    );
    const hook = renderHook(
      () =>
        useTransferList(async () => ({ items: [a, b] }), [], {
          keep: t => t.state !== 'succeeded',
        }),
      { wrapper },
    );
    await waitFor(() => expect(hook.result.current.loading).toBe(false));

    act(() => signals.send({ id: 'a', state: 'succeeded' }));

    await waitFor(() =>
      expect(hook.result.current.items.map(t => t.id)).toEqual(['b']),
    );
  });

  it('ignores figures of a transfer it does not list', async () => {
    const { hook, signals, calls, ids } = setup();
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    const before = calls();

    act(() => signals.send({ id: 'zz', progress: { bytesDone: 3 } }));

    expect(ids()).toEqual(['a', 'b']);
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
});
