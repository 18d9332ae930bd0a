import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  transferApprovePermission,
  transferAuditPermission,
  transferCancelPermission,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/** Permissions that make someone a platform admin of Namespace Transfer. */
const ADMIN_PERMISSIONS = new Set([
  transferApprovePermission.name,
  transferAuditPermission.name,
  transferCancelPermission.name,
]);

/**
 * The portal's policy: everything is allowed except the admin powers of Namespace Transfer (approving
 * anything, cancelling anyone's transfer, the audit view), which go only to the configured admin users and
 * groups. Granting `approve` to everyone would make everyone an approver of every transfer.
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
