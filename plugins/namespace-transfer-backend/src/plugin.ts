import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  createTransferAccess,
  readAccessConfig,
  sourceApprovers,
  transferReaders,
} from './access';
import {
  ClusterRegistry,
  engineKubeConfigs,
  getClusterStatuses,
  readClusterConfigs,
  readEngineTokens,
} from './clusters';
import { kepEntities, KepRecorder, readKepConfig, startKepBridge } from './kep';
import { createTransferNotices } from './notify';
import { registerTransferPermissions } from './permissions';
import {
  checkConfigAgainstSchema,
  explainMigrationFailure,
  reportClusterAccess,
} from './startup';
import { createRouter } from './router';
import { RateLimiter } from './router/rateLimit';
import {
  cutoverWindows,
  enginePlanner,
  readWorkflowConfig,
  registryClusterFacts,
  TransferWorkflow,
} from './service';
import { TransferStore } from './store';
import { DEFAULT_VOLUMES_CACHE_TTL_MS, VolumesService } from './volumes';
import { readWorkerConfig, startTransferWorker } from './worker';

const DEFAULT_CLUSTER_TIMEOUT_MS = 15_000;
const DEFAULT_RATE_LIMIT = { burst: 30, perMinute: 60 };
/** a plan reads both clusters' claims, workloads, quotas and rights: more calls than one page makes */
const PLAN_TIMEOUT_FACTOR = 4;

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

/** The limits of the routes that call the clusters, refused at startup when out of range. */
function readClusterLimits(config: Config) {
  return {
    timeoutMs: readNumber(
      config,
      'namespaceTransfer.clusterRequestTimeoutMs',
      DEFAULT_CLUSTER_TIMEOUT_MS,
      n => n > 0,
      'a positive number of milliseconds',
    ),
    cacheTtlMs: readNumber(
      config,
      'namespaceTransfer.volumesCacheTtlMs',
      DEFAULT_VOLUMES_CACHE_TTL_MS,
      n => n >= 0,
      '0 or a positive number of milliseconds',
    ),
    rateLimiter: new RateLimiter({
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
    }),
  };
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
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
      },
      async init(deps) {
        const { config, logger } = deps;
        // first, before any key is read: a value config.d.ts does not allow stops start-up naming the key
        await checkConfigAgainstSchema(config);
        const clusters = readClusterConfigs(config, logger);
        logger.info(
          `Namespace Transfer clusters: ${clusters.map(c => c.name).join(', ') || '(none configured)'}`,
        );
        const registry = new ClusterRegistry(clusters);
        const limits = readClusterLimits(config);
        // not awaited: a cluster that is down or refuses is logged, and the backend starts all the same
        void reportClusterAccess(registry, logger, {
          timeoutMs: limits.timeoutMs,
        });
        // every config key is read here, before anything starts: a typo stops the backend naming the key
        const accessConfig = readAccessConfig(config);
        const workerConfig = readWorkerConfig(config);
        const workflowConfig = readWorkflowConfig(config);
        const kepConfig = readKepConfig(
          config,
          clusters.map(c => c.name),
        );
        // transfers and their dry runs act as the engine's identity; the portal's reads keep the reader's
        const engineKubeConfig = engineKubeConfigs(
          registry,
          readEngineTokens(config, clusters),
          logger,
        );

        // migrated at start-up (unless database.migrations.skip): a broken schema stops the plugin here
        const store = await explainMigrationFailure(() =>
          TransferStore.create(deps.database),
        );

        const access = createTransferAccess({
          access: accessConfig,
          auth: deps.auth,
          userInfo: deps.userInfo,
          permissions: deps.permissions,
          permissionsRegistry: deps.permissionsRegistry,
          catalog: deps.catalog,
          registry,
          timeoutMs: limits.timeoutMs,
          logger,
        });
        registerTransferPermissions(deps.permissionsRegistry, store, t =>
          access.transferResource(t),
        );

        const notices = createTransferNotices({
          notifications: deps.notifications,
          signals: deps.signals,
          logger,
          ownersOf: sourceApprovers(access, accessConfig.admins, logger),
          readersOf: transferReaders(access, accessConfig.admins, logger),
        });

        const worker = await startTransferWorker({
          config,
          logger,
          scheduler: deps.scheduler,
          lifecycle: deps.lifecycle,
          store,
          registry,
          notices,
          workerConfig,
          engineKubeConfig,
        });

        // the transfers of NamespaceTransferRequests: run by the engine's KEP controller, recorded here
        const kepRecorder = new KepRecorder({
          store,
          notices,
          auditor: deps.auditor,
          logger: logger.child({ component: 'kep-bridge' }),
          entities: kepEntities(claim => access.claimOwnership(claim)),
        });
        startKepBridge({
          kep: kepConfig,
          kubeConfig: engineKubeConfig,
          hooks: kepRecorder.hooks,
          lifecycle: deps.lifecycle,
          logger,
          flush: () => kepRecorder.flush(),
        });

        const workflow = new TransferWorkflow({
          store,
          access,
          notices,
          planner: enginePlanner(
            engineKubeConfig,
            workerConfig.engine,
            limits.timeoutMs * PLAN_TIMEOUT_FACTOR,
          ),
          clusters: registryClusterFacts(registry, limits.timeoutMs),
          windows: cutoverWindows(workerConfig.maintenanceWindows),
          config: workflowConfig,
          onDecided: () => worker.wake(),
        });

        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            logger,
            rateLimiter: limits.rateLimiter,
            auditor: deps.auditor,
            workflow,
            volumes: new VolumesService({
              catalog: deps.catalog,
              registry,
              timeoutMs: limits.timeoutMs,
              cacheTtlMs: limits.cacheTtlMs,
              logger,
            }),
            clusterStatuses: () =>
              getClusterStatuses(registry, limits.timeoutMs),
          }),
        );
      },
    });
  },
});
