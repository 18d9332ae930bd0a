export { createTransferNotices } from './createTransferNotices';
export type { TransferNoticesOptions } from './createTransferNotices';
export { APPROVAL_TOPIC, STATUS_TOPIC } from './notices';
export { TRANSFER_SIGNAL_CHANNEL } from '@namespace-transfer/plugin-namespace-transfer-common';
export type {
  TransferSignal,
  TransferSignalProgress,
} from '@namespace-transfer/plugin-namespace-transfer-common';
export { transferLink } from './describe';
export type { StateChange, TransferNotices } from './types';
