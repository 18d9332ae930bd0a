export { transferPermissionResourceRef } from './resource';
export type { TransferQuery, TransferResource } from './resource';
export type { ClaimsParams } from './claimsParams';
export {
  isDestinationOwner,
  isRequester,
  isSourceOwner,
  transferPermissionRules,
} from './rules';
export {
  createTransferConditionalDecision,
  transferConditions,
} from './conditions';
export { registerTransferPermissions } from './register';
export type { TransferLookup } from './register';
