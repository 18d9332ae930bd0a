/*
 * A minimal backend process for the worker's process tests: Backstage's own backend (config, database,
 * scheduler, lifecycle, logger from backend-defaults) with a plugin that wires the store, the clusters and
 * the worker as plugin.ts does. Started with `node --import tsx workerBackend.ts --config <file>`; a SIGTERM
 * is Backstage's graceful shutdown (the worker hands over), a SIGKILL a crash.
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { ClusterRegistry, readClusterConfigs } from '../../clusters';
import { TransferStore } from '../../store';
import { startTransferWorker } from '../startTransferWorker';

const workerOnly = createBackendPlugin({
  pluginId: 'namespace-transfer',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
      },
      async init({ config, logger, database, scheduler, lifecycle }) {
        const store = await TransferStore.create(database);
        await startTransferWorker({
          config,
          logger,
          scheduler,
          lifecycle,
          store,
          registry: new ClusterRegistry(readClusterConfigs(config, logger)),
          // the process tests read the store; people are not told here
          notices: {
            stateChanged: async () => undefined,
            progressed: async () => undefined,
          },
        });
        lifecycle.addStartupHook(() => {
          // the parent waits for this line before it approves anything
          process.stdout.write('WORKER-BACKEND-STARTED\n');
        });
      },
    });
  },
});

const backend = createBackend();
backend.add(workerOnly);
backend.start().catch(e => {
  process.stderr.write(`backend failed to start: ${e?.stack ?? e}\n`);
  process.exit(1);
});
