import {
  TransferDestinationRef,
  TransferSourceRef,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/** A claim as `cluster/namespace/claim`, the way kubectl users name it across clusters. */
export function claimPath(
  ref: TransferSourceRef | TransferDestinationRef,
): string {
  return `${ref.cluster}/${ref.namespace}/${ref.claim}`;
}

/** Where a transfer moves data from and to, e.g. `east/payments/data → west/orders/data`. */
export function routeOf(transfer: TransferSummary): string {
  return `${claimPath(transfer.source)} → ${claimPath(transfer.destination)}`;
}
