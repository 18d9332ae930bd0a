export { PendingApprovals } from './PendingApprovals';
export type { PendingApprovalsProps } from './PendingApprovals';
