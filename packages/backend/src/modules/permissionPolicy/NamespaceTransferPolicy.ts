import { Config } from '@backstage/config';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogIngestionManagePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { transferAuditPermission } from '@namespace-transfer/plugin-namespace-transfer-common';

/**
 * The admin powers of Namespace Transfer a policy must keep: the audit view. Approve and cancel are not
 * among them: the plugin lets only the source's owners (and `namespaceTransfer.admins`) approve, and only
 * requester, owners and admins cancel, whatever the policy allows; denying them here would take them from
 * the owners too.
 */
export const TRANSFER_ADMIN_PERMISSIONS = [transferAuditPermission];

/**
 * Writes to the catalog: registering and unregistering locations, creating and deleting entities. The
 * catalog decides who owns what (spec.owner, group memberships), and Namespace Transfer reads from it
 * which volumes belong to whom and who approves their transfers. Whoever may write the catalog may make
 * themselves the owner of any volume, so these are admin powers too.
 */
export const CATALOG_WRITE_PERMISSIONS = [
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogIngestionManagePermission,
];

const ADMIN_PERMISSIONS = new Set(
  [...TRANSFER_ADMIN_PERMISSIONS, ...CATALOG_WRITE_PERMISSIONS].map(
    p => p.name,
  ),
);

/**
 * The portal's policy: everything is allowed except admin powers, which go only to the configured admin
 * users and groups (`namespaceTransfer.admins`): the audit view, and writing to the catalog. Allowing
 * `approve` to everyone makes no one an approver (the plugin checks ownership itself); granting catalog
 * writes to everyone would let anyone claim anyone's volumes.
 */
export class NamespaceTransferPolicy implements PermissionPolicy {
  static fromConfig(config: Config): NamespaceTransferPolicy {
    return new NamespaceTransferPolicy(
      config.getOptionalStringArray('namespaceTransfer.admins') ?? [],
    );
  }

  private readonly admins: Set<string>;

  constructor(admins: string[]) {
    this.admins = new Set(admins.map(a => a.toLocaleLowerCase('en-US')));
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!ADMIN_PERMISSIONS.has(request.permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = user?.info.ownershipEntityRefs ?? [];
    const isAdmin = claims.some(ref =>
      this.admins.has(ref.toLocaleLowerCase('en-US')),
    );
    return { result: isAdmin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
  }
}
