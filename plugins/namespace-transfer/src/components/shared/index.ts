export { TransferStateChip, TRANSFER_STATE_LABELS } from './TransferStateChip';
export { TransferProgressBar } from './TransferProgressBar';
export { TransferLink } from './TransferLink';
export { BreakablePath } from './BreakablePath';
export { Requester } from './Requester';
