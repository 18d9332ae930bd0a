export { TransferStore } from './TransferStore';
export type {
  TransferStoreOptions,
  RunOutcome,
  WorkerAction,
} from './TransferStore';
export type { ReadEventsRequest } from './EventLog';
export type { NewDecision } from './DecisionStore';
export { MIGRATIONS_DIRECTORY, migrateToLatest } from './migrate';
export * from './types';
