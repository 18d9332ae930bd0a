import { useEffect, useRef } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  TRANSFER_SIGNAL_CHANNEL,
  TransferSignal,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { toTransferSignal } from '../lib/transferSignal';

/**
 * Calls `onSignal` for every live transfer update. It subscribes itself rather than through `useSignal`,
 * which keeps only the last message: two updates between renders would lose one. `live` is false in an
 * app without the signals plugin, where pages only change when someone refreshes them.
 */
export function useTransferSignals(
  onSignal: (signal: TransferSignal) => void,
): { live: boolean } {
  const signalApi = useApiHolder().get(signalApiRef);
  // the latest callback, so a re-render does not resubscribe (and miss what arrives in between)
  const callback = useRef(onSignal);
  callback.current = onSignal;

  useEffect(() => {
    if (!signalApi) return undefined;
    const subscription = signalApi.subscribe(
      TRANSFER_SIGNAL_CHANNEL,
      message => {
        const signal = toTransferSignal(message);
        if (signal) callback.current(signal);
      },
    );
    return () => subscription.unsubscribe();
  }, [signalApi]);

  return { live: Boolean(signalApi) };
}
