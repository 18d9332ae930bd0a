export { createTransferAccess } from './createTransferAccess';
export type {
  TransferAccessOptions,
  TransferAccessService,
} from './createTransferAccess';
export { readAccessConfig } from './config';
export { sourceApprovers, transferReaders } from './approvers';
export type { AccessConfig } from './config';
export { decideAccess, ACT_PERMISSION } from './decide';
export type { AccessFacts, PolicyAnswer } from './decide';
export type {
  AccessDecision,
  Caller,
  ClaimOwnership,
  ClaimRef,
  Destination,
  TransferAccess,
  TransferAct,
} from './types';
