export { PendingApprovalsCard } from './PendingApprovalsCard';
export { MyTransfersCard } from './MyTransfersCard';
export type { MyTransfersCardProps } from './MyTransfersCard';
