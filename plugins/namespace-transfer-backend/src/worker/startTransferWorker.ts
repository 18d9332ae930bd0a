import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { KubeConfig } from '@kubernetes/client-node';
import { runTransfer } from '@namespace-transfer/plugin-namespace-transfer-node';
import {
  engineKubeConfigs,
  readEngineTokens,
  type ClusterRegistry,
} from '../clusters';
import type { TransferNotices } from '../notify/types';
import type { TransferStore } from '../store';
import { readWorkerConfig, type WorkerConfig } from './config';
import type { RunTransfer } from './engine';
import { scheduleJanitor } from './janitor';
import { TransferWorker } from './TransferWorker';

export interface StartTransferWorkerOptions {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  store: TransferStore;
  registry: ClusterRegistry;
  notices: TransferNotices;
  /** tests: another engine at the boundary, a faster cancel watch */
  engine?: RunTransfer;
  cancelWatchMs?: number;
  workerConfig?: WorkerConfig;
  /**
   * The engine's KubeConfig per cluster (engineKubeConfigs), when the plugin built it once for the worker
   * and the workflow's dry run; otherwise read from config here.
   */
  engineKubeConfig?: (cluster: string) => KubeConfig;
}

/** What the plugin keeps of the worker: wake it after a change that makes a transfer claimable. */
export interface TransferWorkerHandle {
  /** look for claimable transfers now (after an approval, a cut over, a retry, a cancel of a staged one) */
  wake(): void;
  /** hand every run over and stop claiming (also done on the backend's shutdown) */
  stop(): Promise<void>;
}

const DEFAULT_CANCEL_WATCH_MS = 1000;

/**
 * Reads the worker's config and its identity per cluster (a bad value throws here, at start-up, naming
 * the key), schedules the janitor and, when `namespaceTransfer.worker.enabled` is not false, starts the worker once the backend has
 * started; it hands its transfers over when the backend shuts down.
 */
export async function startTransferWorker(
  o: StartTransferWorkerOptions,
): Promise<TransferWorkerHandle> {
  const config = o.workerConfig ?? readWorkerConfig(o.config);
  const logger = o.logger.child({ component: 'transfer-worker' });
  // read even on a replica that runs no transfers: a wrong entry stops every replica, not only some
  const engineKubeConfig =
    o.engineKubeConfig ??
    engineKubeConfigs(
      o.registry,
      readEngineTokens(o.config, o.registry.list()),
      logger,
    );
  const worker = config.enabled
    ? new TransferWorker({
        holder: `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`,
        runs: o.store.runs,
        read: id => o.store.get(id),
        engine: o.engine ?? runTransfer,
        // transfers run as the engine's identity; the portal's reads keep the registry's reader
        kubeConfig: engineKubeConfig,
        notices: o.notices,
        logger,
        config,
        cancelWatchMs: o.cancelWatchMs ?? DEFAULT_CANCEL_WATCH_MS,
      })
    : undefined;
  await scheduleJanitor({
    scheduler: o.scheduler,
    store: o.store,
    notices: o.notices,
    logger,
    // a crashed replica's transfers wait about one lease, plus half of one, for another replica
    frequencyMs: Math.max(1000, config.leaseMs / 2),
    onReaped: () => worker?.wake(),
  });
  if (!worker) {
    logger.info(
      'transfer worker disabled on this replica (namespaceTransfer.worker.enabled: false)',
    );
    return { wake: () => undefined, stop: async () => undefined };
  }
  o.lifecycle.addStartupHook(() => worker.start());
  o.lifecycle.addShutdownHook(() => worker.stop());
  return { wake: () => worker.wake(), stop: () => worker.stop() };
}
