import {
  isPermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  NAMESPACE_TRANSFER_RESOURCE_TYPE,
  NAMESPACE_TRANSFER_RULES,
  namespaceTransferPermissions,
  transferApprovePermission,
  transferAuditPermission,
  transferCancelPermission,
  transferCreatePermission,
  transferReadPermission,
} from './permissions';

describe('namespace transfer permissions', () => {
  it('defines the five permissions of the design with unique names', () => {
    const names = namespaceTransferPermissions.map(p => p.name).sort();
    expect(names).toEqual([
      'namespace-transfer.transfer.approve',
      'namespace-transfer.transfer.audit',
      'namespace-transfer.transfer.cancel',
      'namespace-transfer.transfer.create',
      'namespace-transfer.transfer.read',
    ]);
  });

  it('makes read, approve and cancel resource permissions of the namespace-transfer type, so a policy can answer them with conditions', () => {
    expect(NAMESPACE_TRANSFER_RESOURCE_TYPE).toBe('namespace-transfer');
    for (const permission of [
      transferReadPermission,
      transferApprovePermission,
      transferCancelPermission,
    ]) {
      expect(
        isResourcePermission(permission, NAMESPACE_TRANSFER_RESOURCE_TYPE),
      ).toBe(true);
    }
  });

  it('keeps create and audit basic: no stored transfer to put conditions on', () => {
    expect(transferCreatePermission.type).toBe('basic');
    expect(transferAuditPermission.type).toBe('basic');
    expect(isResourcePermission(transferCreatePermission)).toBe(false);
  });

  it('gives each permission the action a policy can match on', () => {
    expect(isPermission(transferReadPermission, transferReadPermission)).toBe(
      true,
    );
    expect(transferCreatePermission.attributes.action).toBe('create');
    expect(transferReadPermission.attributes.action).toBe('read');
    expect(transferApprovePermission.attributes.action).toBe('update');
    expect(transferCancelPermission.attributes.action).toBe('update');
    expect(transferAuditPermission.attributes.action).toBe('read');
  });

  it('names the three conditional rules', () => {
    expect(NAMESPACE_TRANSFER_RULES).toEqual({
      isRequester: 'IS_REQUESTER',
      isSourceOwner: 'IS_SOURCE_OWNER',
      isDestinationOwner: 'IS_DESTINATION_OWNER',
    });
  });
});
