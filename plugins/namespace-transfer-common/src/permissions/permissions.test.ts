import { isPermission } from '@backstage/plugin-permission-common';
import {
  namespaceTransferPermissions,
  transferApprovePermission,
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

  it('gives read and approve the actions a policy can match on', () => {
    expect(isPermission(transferReadPermission, transferReadPermission)).toBe(
      true,
    );
    expect(transferReadPermission.attributes.action).toBe('read');
    expect(transferApprovePermission.attributes.action).toBe('update');
    expect(transferReadPermission.type).toBe('basic');
  });
});
