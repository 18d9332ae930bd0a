import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  transferApprovePermission,
  transferAuditPermission,
  transferCreatePermission,
  transferReadPermission,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferPolicy } from './NamespaceTransferPolicy';

const user = (...ownershipEntityRefs: string[]) =>
  ({
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
  }) as unknown as PolicyQueryUser;

describe('NamespaceTransferPolicy', () => {
  const policy = new NamespaceTransferPolicy(['group:default/platform-team']);

  it('allows reading and requesting to everyone', async () => {
    const alice = user('user:default/alice', 'group:default/team-payments');
    await expect(
      policy.handle({ permission: transferReadPermission }, alice),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: transferCreatePermission }, alice),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('keeps outright approval and the audit view for platform admins', async () => {
    const alice = user('user:default/alice', 'group:default/team-payments');
    const carol = user('user:default/carol', 'group:default/Platform-Team');
    await expect(
      policy.handle({ permission: transferApprovePermission }, alice),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: transferAuditPermission }, alice),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: transferApprovePermission }, carol),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: transferAuditPermission }, undefined),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });
});
