export { TransfersTable } from './TransfersTable';
export type { TransfersTableProps } from './TransfersTable';
export type {
  TransfersTableColumn,
  TransferSortField,
  TransferSortOrder,
} from './columns';
export { EntityTransfers } from './EntityTransfers';
export { ListControls, listControlsOf } from './ListControls';
export type { ListControlsProps } from './ListControls';
export { PlanSummary } from './PlanSummary';
