export * from './types';
export { matchApproval, type ApprovalMatch } from './match';
export {
  startKepController,
  transferIdOf,
  type KepController,
  type KepControllerOptions,
} from './controller';
export { RequestStatusWriter, setCondition, type Status } from './status';
