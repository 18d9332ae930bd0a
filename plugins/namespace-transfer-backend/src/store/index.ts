export { TransferStore } from './TransferStore';
export type { TransferStoreOptions } from './TransferStore';
export { RunLeases } from './RunLeases';
export type { RunOutcome, WorkerAction } from './RunLeases';
export type { ReadEventsRequest } from './EventLog';
export type { NewDecision } from './DecisionStore';
export { MIGRATIONS_DIRECTORY, migrateToLatest } from './migrate';
export * from './types';
