export { TransferWorkflow } from './TransferWorkflow';
export type {
  TransferWorkflowOptions,
  ListResult,
  DestinationsResult,
} from './TransferWorkflow';
export { readWorkflowConfig } from './config';
export type { WorkflowConfig } from './config';
export type {
  Planner,
  ClusterFacts,
  CutoverWindows,
  StorageClassInfo,
} from './ports';
export { transferSpec } from './spec';
export { CSV_COLUMNS } from './views';
export type { CsvRow, TransferView, TransferDetail } from './views';
export { enginePlanner, registryClusterFacts } from './engineAdapters';
export type { EngineFacts } from './engineAdapters';
export { cutoverWindows } from './windows';
