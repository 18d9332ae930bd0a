import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { namespaceTransferPermissions } from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  ClusterRegistry,
  getClusterStatuses,
  readClusterConfigs,
} from './clusters';
import { createRouter } from './router';
import { TransferStore } from './store';
import { readMoverResources } from './mover/config';
import { RateLimiter } from './router/rateLimit';
import { DEFAULT_VOLUMES_CACHE_TTL_MS, VolumesService } from './volumes';

const DEFAULT_CLUSTER_TIMEOUT_MS = 15_000;
const DEFAULT_RATE_LIMIT = { burst: 30, perMinute: 60 };

/** A number of the plugin's config, refused at startup when out of range, naming the key. */
function readNumber(
  config: Config,
  key: string,
  fallback: number,
  valid: (n: number) => boolean,
  rule: string,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || !valid(value)) {
    throw new Error(`${key} must be ${rule} (got ${value})`);
  }
  return value;
}

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
        database: coreServices.database,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        database,
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
        const timeoutMs = readNumber(
          config,
          'namespaceTransfer.clusterRequestTimeoutMs',
          DEFAULT_CLUSTER_TIMEOUT_MS,
          n => n > 0,
          'a positive number of milliseconds',
        );
        const cacheTtlMs = readNumber(
          config,
          'namespaceTransfer.volumesCacheTtlMs',
          DEFAULT_VOLUMES_CACHE_TTL_MS,
          n => n >= 0,
          '0 or a positive number of milliseconds',
        );
        const rateLimiter = new RateLimiter({
          burst: readNumber(
            config,
            'namespaceTransfer.rateLimit.burst',
            DEFAULT_RATE_LIMIT.burst,
            n => Number.isInteger(n) && n >= 1,
            'a whole number of requests, at least 1',
          ),
          perMinute: readNumber(
            config,
            'namespaceTransfer.rateLimit.perMinute',
            DEFAULT_RATE_LIMIT.perMinute,
            n => n > 0,
            'a positive number of requests',
          ),
        });

        // the transfer worker (issue 16) hands these to the engine; checked here so a typo stops startup
        readMoverResources(config);

        // migrated at start-up (unless database.migrations.skip) so a broken schema stops the plugin here,
        // not at a first request; the workflow's routes and worker (issue 16's next slices) use the store
        await TransferStore.create(database);

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            logger,
            rateLimiter,
            volumes: new VolumesService({
              catalog,
              registry,
              timeoutMs,
              cacheTtlMs,
              logger,
            }),
            clusterStatuses: () => getClusterStatuses(registry, timeoutMs),
          }),
        );
      },
    });
  },
});
