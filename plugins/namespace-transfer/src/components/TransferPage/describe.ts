import {
  TransferDestinationRef,
  TransferSourceRef,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/** e.g. `east/payments/data` */
export function claimPath(
  ref: Pick<
    TransferSourceRef | TransferDestinationRef,
    'cluster' | 'namespace' | 'claim'
  >,
): string {
  return `${ref.cluster}/${ref.namespace}/${ref.claim}`;
}
