import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { NewTransfer, Transfer } from '../store';

/**
 * The engine's spec of a stored transfer (or of a request about to be stored): the one place that turns
 * the workflow's record into what the engine runs, for the plan at creation and for the worker.
 */
export function transferSpec(
  t: Pick<
    NewTransfer,
    'source' | 'destination' | 'requestedMode' | 'intent' | 'options'
  > &
    Pick<Transfer, 'engineTransferId'>,
): TransferSpec {
  const { destinationLabels, ...options } = t.options;
  return {
    id: t.engineTransferId,
    source: {
      cluster: t.source.cluster,
      namespace: t.source.namespace,
      name: t.source.claim,
    },
    destination: {
      cluster: t.destination.cluster,
      namespace: t.destination.namespace,
      name: t.destination.claim,
      ...(t.destination.storageClass && {
        storageClassName: t.destination.storageClass,
      }),
      ...(t.destination.size && { size: t.destination.size }),
      ...(destinationLabels && { labels: destinationLabels }),
    },
    mode: t.requestedMode,
    intent: t.intent,
    options,
  };
}
