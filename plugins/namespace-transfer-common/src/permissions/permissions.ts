import { createPermission } from '@backstage/plugin-permission-common';

/*
 * The permissions of DESIGN §6. Ownership through the catalog is what grants an act; these permissions let
 * an adopter's policy only narrow it, so a policy that allows everything makes nobody an approver.
 *
 * read, approve and cancel are resource permissions of the `namespace-transfer` resource type: they concern
 * one stored transfer, so a policy may answer them with conditions (isRequester, isSourceOwner,
 * isDestinationOwner) the way catalog permissions are narrowed. create and audit stay basic: a request has
 * no stored transfer to put conditions on yet, and audit is about all transfers at once, not one of them.
 */

/**
 * The resource type of a stored transfer, for conditional decisions in a permission policy.
 *
 * @public
 */
export const NAMESPACE_TRANSFER_RESOURCE_TYPE = 'namespace-transfer';

/**
 * The names of the conditional rules of the `namespace-transfer` resource type. Each takes
 * `{ claims: string[] }`, the user's ownership entity refs (`user.info.ownershipEntityRefs`).
 *
 * @public
 */
export const NAMESPACE_TRANSFER_RULES = {
  /** the transfer was requested by one of the claims */
  isRequester: 'IS_REQUESTER',
  /** one of the claims owns the transfer's source (the catalog entity that owns the source claim) */
  isSourceOwner: 'IS_SOURCE_OWNER',
  /** one of the claims owns the transfer's destination entity */
  isDestinationOwner: 'IS_DESTINATION_OWNER',
} as const;

/**
 * Request a transfer into a destination entity the requester owns (basic: there is no transfer yet).
 *
 * @public
 */
export const transferCreatePermission = createPermission({
  name: 'namespace-transfer.transfer.create',
  attributes: { action: 'create' },
});

/**
 * See a transfer, its decisions and its events (its requester and the owners of either side may).
 *
 * @public
 */
export const transferReadPermission = createPermission({
  name: 'namespace-transfer.transfer.read',
  attributes: { action: 'read' },
  resourceType: NAMESPACE_TRANSFER_RESOURCE_TYPE,
});

/**
 * Approve or reject a transfer (an owner of its source, not its requester unless self-approval is
 * configured, or an admin may).
 *
 * @public
 */
export const transferApprovePermission = createPermission({
  name: 'namespace-transfer.transfer.approve',
  attributes: { action: 'update' },
  resourceType: NAMESPACE_TRANSFER_RESOURCE_TYPE,
});

/**
 * Cancel, retry, resume or cut over a transfer (its requester, an owner of its source, or an admin may).
 *
 * @public
 */
export const transferCancelPermission = createPermission({
  name: 'namespace-transfer.transfer.cancel',
  attributes: { action: 'update' },
  resourceType: NAMESPACE_TRANSFER_RESOURCE_TYPE,
});

/**
 * Read every transfer, decision and event across the portal (the audit view). Only the admins of
 * `namespaceTransfer.admins` hold it; a policy may take it from them (basic: it concerns all transfers).
 *
 * @public
 */
export const transferAuditPermission = createPermission({
  name: 'namespace-transfer.transfer.audit',
  attributes: { action: 'read' },
});

/**
 * All permissions of the plugin, for registration with the permissions registry.
 *
 * @public
 */
export const namespaceTransferPermissions = [
  transferCreatePermission,
  transferReadPermission,
  transferApprovePermission,
  transferCancelPermission,
  transferAuditPermission,
];
