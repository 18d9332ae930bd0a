export * from './types';
export { matchApproval, type ApprovalMatch } from './match';
export {
  DEFAULT_LEASE_NAME,
  startKepController,
  type KepController,
  type KepControllerOptions,
} from './controller';
export { transferIdOf } from './reconcile';
export { pickDestinationClaim } from './destination';
export {
  RequestStatusWriter,
  StatusWriter,
  setCondition,
  type Status,
  type WithStatus,
} from './status';
export { ApprovalStatusWriter } from './approvalStatus';
