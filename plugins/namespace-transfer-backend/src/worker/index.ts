export { startTransferWorker } from './startTransferWorker';
export type {
  StartTransferWorkerOptions,
  TransferWorkerHandle,
} from './startTransferWorker';
export { readWorkerConfig } from './config';
export type { WorkerConfig } from './config';
