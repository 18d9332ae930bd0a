import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  transferApprovePermission,
  transferAuditPermission,
  transferCancelPermission,
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
  const alice = user('user:default/alice', 'group:default/team-payments');
  const carol = user('user:default/carol', 'group:default/Platform-Team');

  it('allows reading and requesting to everyone', async () => {
    for (const permission of [
      transferReadPermission,
      transferCreatePermission,
      catalogEntityReadPermission,
      catalogLocationReadPermission,
      catalogEntityRefreshPermission,
    ]) {
      await expect(policy.handle({ permission }, alice)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('leaves approve and cancel to the plugin, which checks ownership itself', async () => {
    for (const permission of [
      transferApprovePermission,
      transferCancelPermission,
    ]) {
      await expect(policy.handle({ permission }, alice)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('keeps the audit view for platform admins', async () => {
    await expect(
      policy.handle({ permission: transferAuditPermission }, alice),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: transferAuditPermission }, carol),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: transferAuditPermission }, undefined),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('keeps catalog writes (the catalog decides who owns which volumes) for platform admins', async () => {
    for (const permission of [
      catalogLocationCreatePermission,
      catalogLocationDeletePermission,
      catalogEntityCreatePermission,
      catalogEntityDeletePermission,
    ]) {
      await expect(policy.handle({ permission }, alice)).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
      await expect(policy.handle({ permission }, undefined)).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
      await expect(policy.handle({ permission }, carol)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });
});
