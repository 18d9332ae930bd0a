import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type {
  LifecycleService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  startKepController,
  type KepController,
  type KepControllerOptions,
  type KepHooks,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import type { KepConfig } from './config';

/** What the bridge starts a controller with (a test's controller takes the same). */
export type BridgeControllerOptions = KepControllerOptions;

export interface StartKepBridgeOptions {
  kep: KepConfig;
  /** the engine's identity per cluster (engineKubeConfigs): the controller rebinds as the worker does */
  kubeConfig: (cluster: string) => KubeConfig;
  hooks: KepHooks;
  lifecycle: LifecycleService;
  logger: LoggerService;
  /** waits for the hooks' writes once the controllers stopped */
  flush?: () => Promise<void>;
  /** tests: another controller at the boundary */
  start?: (o: BridgeControllerOptions) => KepController;
}

export interface KepBridge {
  /** the clusters whose controller runs */
  clusters(): string[];
  /** stops every controller (also done on the backend's shutdown) */
  stop(): Promise<void>;
}

/**
 * Runs the engine's KEP controller on each cluster namespaceTransfer.kep names, once the backend has
 * started, with the engine's identity of that cluster, the recorder's hooks, and leader election on a
 * Lease in the configured namespace: of several backend replicas one acts per cluster. The controllers
 * stop with the backend (a run before its point of no return is left for the next leader).
 */
export function startKepBridge(o: StartKepBridgeOptions): KepBridge {
  const logger = o.logger.child({ component: 'kep-bridge' });
  const start = o.start ?? startKepController;
  const identity = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  const running = new Map<string, KepController>();
  let stopped = false;

  const startOne = (cluster: string) => {
    const log = logger.child({ cluster });
    const options: BridgeControllerOptions = {
      kubeConfig: o.kubeConfig(cluster),
      clusterName: cluster,
      hooks: o.hooks,
      leaderElection: { namespace: o.kep.leaseNamespace, identity },
      log: message => log.info(message),
    };
    running.set(cluster, start(options));
    log.info(
      `KEP controller started on cluster '${cluster}' (leader election in namespace ${o.kep.leaseNamespace} as ${identity})`,
    );
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(
      [...running.entries()].map(async ([cluster, controller]) => {
        try {
          await controller.stop();
        } catch (e) {
          logger.warn(
            `the KEP controller of cluster '${cluster}' did not stop cleanly: ${String(e)}`,
          );
        }
      }),
    );
    await o.flush?.();
  };

  if (o.kep.clusters.length === 0)
    logger.info(
      'no KEP controller on this backend (namespaceTransfer.kep.clusters is empty)',
    );
  else {
    o.lifecycle.addStartupHook(() => {
      if (!stopped) o.kep.clusters.forEach(startOne);
    });
    o.lifecycle.addShutdownHook(stop);
  }
  return { clusters: () => [...running.keys()], stop };
}
