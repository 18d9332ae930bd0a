// A permission policy for Namespace Transfer. The plugin checks ownership itself (a source owner approves,
// the requester owns the destination, namespaceTransfer.admins may do anything), so a policy can only
// narrow that: here everyone may read, request and cancel, and approving is left to the plugin's own rule.
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { namespaceTransferPermissions } from '@namespace-transfer/plugin-namespace-transfer-common';

const namespaceTransferNames = new Set(
  namespaceTransferPermissions.map(p => p.name),
);

class AdopterPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery): Promise<PolicyDecision> {
    if (namespaceTransferNames.has(request.permission.name)) {
      // narrow here, e.g. DENY 'namespace-transfer.transfer.create' outside office hours
      return { result: AuthorizeResult.ALLOW };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'adopter-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new AdopterPolicy());
      },
    });
  },
});
