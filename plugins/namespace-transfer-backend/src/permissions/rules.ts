import { createPermissionRule } from '@backstage/plugin-permission-node';
import { NAMESPACE_TRANSFER_RULES } from '@namespace-transfer/plugin-namespace-transfer-common';
import { ClaimsParams, claimsParamsSchema } from './claimsParams';
import { transferPermissionResourceRef } from './resource';

type Ref = typeof transferPermissionResourceRef;

/** Entity refs compare without case, as the catalog stores them (stringifyEntityRef lowercases them). */
const anyOf = (refs: string[], claims: string[]) => {
  const wanted = new Set(claims.map(c => c.toLocaleLowerCase('en-US')));
  return refs.some(r => wanted.has(r.toLocaleLowerCase('en-US')));
};

/** @public */
export const isRequester = createPermissionRule<Ref, ClaimsParams>({
  name: NAMESPACE_TRANSFER_RULES.isRequester,
  description: 'Allow transfers requested by one of the claims',
  resourceRef: transferPermissionResourceRef,
  paramsSchema: claimsParamsSchema,
  apply: (resource, { claims }) => anyOf([resource.transfer.requester], claims),
  toQuery: ({ claims }) => ({ property: 'requester', values: claims }),
});

/** @public */
export const isSourceOwner = createPermissionRule<Ref, ClaimsParams>({
  name: NAMESPACE_TRANSFER_RULES.isSourceOwner,
  description:
    'Allow transfers whose source (the catalog entity owning the source claim) is owned by one of the claims',
  resourceRef: transferPermissionResourceRef,
  paramsSchema: claimsParamsSchema,
  apply: (resource, { claims }) => anyOf(resource.sourceOwners, claims),
  toQuery: ({ claims }) => ({ property: 'sourceOwnedBy', values: claims }),
});

/** @public */
export const isDestinationOwner = createPermissionRule<Ref, ClaimsParams>({
  name: NAMESPACE_TRANSFER_RULES.isDestinationOwner,
  description:
    'Allow transfers whose destination entity is owned by one of the claims',
  resourceRef: transferPermissionResourceRef,
  paramsSchema: claimsParamsSchema,
  apply: (resource, { claims }) => anyOf(resource.destinationOwners, claims),
  toQuery: ({ claims }) => ({
    property: 'destinationOwnedBy',
    values: claims,
  }),
});

/**
 * The rules of the `namespace-transfer` resource type.
 *
 * @public
 */
export const transferPermissionRules = {
  isRequester,
  isSourceOwner,
  isDestinationOwner,
};
