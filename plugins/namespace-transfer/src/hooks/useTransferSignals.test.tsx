import { PropsWithChildren } from 'react';
import { act, renderHook } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { TRANSFER_SIGNAL_CHANNEL } from '@namespace-transfer/plugin-namespace-transfer-common';
import { fakeSignalApi } from '../lib/testing';
import { useTransferSignals } from './useTransferSignals';

describe('useTransferSignals', () => {
  it('delivers every well-formed message to the latest callback, once subscribed', () => {
    const signals = fakeSignalApi();
    const wrapper = ({ children }: PropsWithChildren<{}>) => (
      <TestApiProvider apis={[[signalApiRef, signals]]}>
        {children}
      </TestApiProvider>
    );
    const first = jest.fn();
    const second = jest.fn();
    const hook = renderHook(({ cb }) => useTransferSignals(cb), {
      wrapper,
      initialProps: { cb: first },
    });
    hook.rerender({ cb: second });

    act(() => {
      signals.send({ id: 't1', state: 'running' });
      signals.send({ state: 'running' } as any);
      signals.send({ id: 't1', phase: 'Nonsense', progress: 'x' } as any);
    });

    expect(hook.result.current.live).toBe(true);
    expect(signals.subscribe).toHaveBeenCalledTimes(1);
    expect(signals.subscribe.mock.calls[0][0]).toBe(TRANSFER_SIGNAL_CHANNEL);
    expect(first).not.toHaveBeenCalled();
    expect(second.mock.calls).toEqual([
      [{ id: 't1', state: 'running' }],
      [{ id: 't1' }],
    ]);
  });

  it('is not live without the signals plugin', () => {
    const wrapper = ({ children }: PropsWithChildren<{}>) => (
      <TestApiProvider apis={[]}>{children}</TestApiProvider>
    );
    const hook = renderHook(() => useTransferSignals(jest.fn()), { wrapper });
    expect(hook.result.current.live).toBe(false);
  });
});
