export { OwnershipService } from './OwnershipService';
export type {
  NamespaceReader,
  OwnershipServiceOptions,
} from './OwnershipService';
export { decideClaimOwnership } from './decideClaimOwnership';
export type { ClaimFacts } from './decideClaimOwnership';
export {
  entityClaim,
  entityOwners,
  namespaceNamesEntity,
  ownsNothing,
} from './entityClaim';
export type { EntityClaim, OwnsNothing } from './entityClaim';
export { destinationOfEntity } from './destinationLabels';
