import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { namespaceTransferPermissions } from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  ClusterRegistry,
  getClusterStatuses,
  readClusterConfigs,
} from './clusters';
import { createRouter } from './router';
import { VolumesService } from './volumes';

const DEFAULT_CLUSTER_TIMEOUT_MS = 15_000;

/**
 * The Namespace Transfer backend plugin. Only wiring lives here; each layer is in its own folder.
 *
 * @public
 */
export const namespaceTransferPlugin = createBackendPlugin({
  pluginId: 'namespace-transfer',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
      }) {
        permissionsRegistry.addPermissions(namespaceTransferPermissions);

        const clusters = readClusterConfigs(config, logger);
        logger.info(
          `Namespace Transfer clusters: ${clusters.map(c => c.name).join(', ') || '(none configured)'}`,
        );
        const registry = new ClusterRegistry(clusters);
        const timeoutMs =
          config.getOptionalNumber(
            'namespaceTransfer.clusterRequestTimeoutMs',
          ) ?? DEFAULT_CLUSTER_TIMEOUT_MS;

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            volumes: new VolumesService({ catalog, registry, timeoutMs }),
            clusterStatuses: () => getClusterStatuses(registry, timeoutMs),
          }),
        );
      },
    });
  },
});
