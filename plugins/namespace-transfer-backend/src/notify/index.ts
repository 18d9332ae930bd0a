export { createTransferNotices } from './createTransferNotices';
export type { TransferNoticesOptions } from './createTransferNotices';
export { APPROVAL_TOPIC, STATUS_TOPIC } from './notices';
export { TRANSFER_SIGNAL_CHANNEL } from './signals';
export type { TransferSignal, TransferSignalProgress } from './signals';
export { transferLink } from './describe';
export type { StateChange, TransferNotices } from './types';
