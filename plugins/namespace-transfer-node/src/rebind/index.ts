export { runRebind, REBIND_STEPS, POINT_OF_NO_RETURN } from './run';
export {
  checkRebindPreconditions,
  type PreconditionOptions,
} from './preconditions';
export {
  RebindRefusedError,
  type RebindOptions,
  type RebindResult,
  type RebindEvent,
  type PreconditionFailure,
} from './types';
export { destinationClaimMisfits, type Misfit } from './adopt';
export * from './annotations';
