import { createPermission } from '@backstage/plugin-permission-common';

/*
 * The permissions of DESIGN §6. They are basic (not resource) permissions for now: the plugin enforces
 * catalog ownership itself for `approve`, so a policy that allows everything must not make everyone an
 * approver (see the workflow service).
 */

/** Request a transfer of a volume. */
export const transferCreatePermission = createPermission({
  name: 'namespace-transfer.transfer.create',
  attributes: { action: 'create' },
});

/** See volumes and transfers of entities. */
export const transferReadPermission = createPermission({
  name: 'namespace-transfer.transfer.read',
  attributes: { action: 'read' },
});

/** Approve or reject transfers outright, beyond catalog ownership (platform admins). */
export const transferApprovePermission = createPermission({
  name: 'namespace-transfer.transfer.approve',
  attributes: { action: 'update' },
});

/** Cancel a transfer someone else requested. */
export const transferCancelPermission = createPermission({
  name: 'namespace-transfer.transfer.cancel',
  attributes: { action: 'update' },
});

/** Read every transfer, decision and event across the portal (the audit view). */
export const transferAuditPermission = createPermission({
  name: 'namespace-transfer.transfer.audit',
  attributes: { action: 'read' },
});

/** All permissions of the plugin, for registration with the permissions registry. */
export const namespaceTransferPermissions = [
  transferCreatePermission,
  transferReadPermission,
  transferApprovePermission,
  transferCancelPermission,
  transferAuditPermission,
];
