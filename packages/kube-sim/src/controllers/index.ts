import type { ControllerOptions, Stoppable } from '../contracts';
import { createContext } from './kube/context';
import {
  startPvBinder,
  type PvBinder,
  type PvBinderOptions,
} from './pvbinder/pv-binder';
import { startHostPathProvisioner } from './provisioner/hostpath-provisioner';
import { startStorageProtection } from './protection/storage-protection';
import { startScheduler } from './scheduler/scheduler';
import { startEndpointSliceController } from './endpoints/endpointslice-controller';
import { startGarbageCollector } from './gc/garbage-collector';
import { startNamespaceController } from './namespace/namespace-lifecycle';
import { startReplicaSetController } from './workloads/replicaset';
import { startDeploymentController } from './workloads/deployment';
import { startStatefulSetController } from './workloads/statefulset';
import { startDaemonSetController } from './workloads/daemonset';
import { startJobController } from './workloads/job';
import { startCronJobController } from './workloads/cronjob';
import { startTtlAfterFinishedController } from './workloads/ttl-after-finished';
import { startResourceQuotaController } from './resourcequota/resource-quota';

export { PROVISIONER_NAME } from './provisioner/hostpath-provisioner';
export {
  DEFAULT_PV_SYNC_PERIOD_MS,
  type PvBinder,
  type PvBinderOptions,
} from './pvbinder/pv-binder';

/**
 * Starts what kube-controller-manager and kube-scheduler do for one cluster. Every part only uses the
 * public API through the given KubeConfig; they share one informer per resource.
 */
export async function startControllers(
  opts: ControllerOptions & {
    resyncMs?: number;
    pvBinder?: PvBinderOptions;
    /**
     * false: no kube-sim.io/hostpath provisioner, as a control plane without the CSI driver; the
     * provisioner then runs where the storage is (startProvisioner) (default true)
     */
    provisioner?: boolean;
  },
): Promise<Stoppable & { pvBinder: PvBinder }> {
  const ctx = createContext(opts, opts.resyncMs);
  const pvBinder = startPvBinder(ctx, opts.pvBinder);
  const parts: Stoppable[] = [
    pvBinder,
    ...(opts.provisioner === false ? [] : [startHostPathProvisioner(ctx)]),
    startStorageProtection(ctx),
    startScheduler(ctx),
    startEndpointSliceController(ctx),
    startNamespaceController(ctx),
    startReplicaSetController(ctx),
    startDeploymentController(ctx),
    startStatefulSetController(ctx),
    startDaemonSetController(ctx),
    startJobController(ctx),
    startCronJobController(ctx),
    startTtlAfterFinishedController(ctx),
    startResourceQuotaController(ctx),
  ];
  await ctx.informers.start();
  const gc = startGarbageCollector(ctx);
  parts.push(gc);
  await gc.ready;
  return {
    pvBinder,
    async stop() {
      for (const p of parts) await p.stop();
      await ctx.stop();
    },
  };
}

/**
 * The kube-sim.io/hostpath provisioner alone, as a CSI driver's external-provisioner runs beside a
 * control plane that is not ours: it needs list/watch of claims, volumes and storage classes, create and
 * delete of volumes, and create of events.
 */
export async function startProvisioner(
  opts: ControllerOptions,
): Promise<Stoppable> {
  const ctx = createContext(opts);
  const provisioner = startHostPathProvisioner(ctx);
  try {
    await ctx.informers.start();
  } catch (e) {
    await ctx.stop();
    throw e;
  }
  return {
    async stop() {
      await provisioner.stop();
      await ctx.stop();
    },
  };
}
