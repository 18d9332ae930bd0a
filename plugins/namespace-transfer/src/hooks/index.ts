export { useTransferSignals } from './useTransferSignals';
export { useTransfer, EVENTS_PAGE_SIZE } from './useTransfer';
export type { UseTransferResult } from './useTransfer';
export { useTransferList } from './useTransferList';
export type {
  UseTransferListOptions,
  UseTransferListResult,
} from './useTransferList';
export { useCallerProfile } from './useCallerProfile';
export { useCoalescedRead } from './useCoalescedRead';
export type { UseCoalescedReadResult } from './useCoalescedRead';
