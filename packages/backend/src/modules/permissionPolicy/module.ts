import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { NamespaceTransferPolicy } from './NamespaceTransferPolicy';

/** Installs the portal's permission policy into the permission backend. */
export const permissionModuleNamespaceTransferPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'namespace-transfer-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(NamespaceTransferPolicy.fromConfig(config));
      },
    });
  },
});
