import { createPermission } from '@backstage/plugin-permission-common';

/*
 * The permissions of DESIGN §6. They are basic (not resource) permissions for now: the plugin enforces
 * catalog ownership itself for `approve`, so a policy that allows everything must not make everyone an
 * approver (see the workflow service).
 */

/**
 * Request a transfer of a volume.
 *
 * @public
 */
export const transferCreatePermission = createPermission({
  name: 'namespace-transfer.transfer.create',
  attributes: { action: 'create' },
});

/**
 * See volumes and transfers of entities.
 *
 * @public
 */
export const transferReadPermission = createPermission({
  name: 'namespace-transfer.transfer.read',
  attributes: { action: 'read' },
});

/**
 * Approve or reject transfers outright, beyond catalog ownership (platform admins).
 *
 * @public
 */
export const transferApprovePermission = createPermission({
  name: 'namespace-transfer.transfer.approve',
  attributes: { action: 'update' },
});

/**
 * Cancel a transfer someone else requested.
 *
 * @public
 */
export const transferCancelPermission = createPermission({
  name: 'namespace-transfer.transfer.cancel',
  attributes: { action: 'update' },
});

/**
 * Read every transfer, decision and event across the portal (the audit view).
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
