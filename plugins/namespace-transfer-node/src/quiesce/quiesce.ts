import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { WorkloadRef } from '@namespace-transfer/plugin-namespace-transfer-common';
import { retryOnConflict } from '../clusters';
import { Objects, waitForPods } from '../kube';
import { mountsClaim } from '../gather';

import {
  QUIESCED_BY,
  QUIESCED_REPLICAS,
  QUIESCED_SUSPEND,
} from './annotations';

export { QUIESCED_BY, QUIESCED_REPLICAS, QUIESCED_SUSPEND };

const API: Record<WorkloadRef['kind'], string | undefined> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  DaemonSet: undefined,
  CronJob: 'batch/v1',
  DeploymentConfig: 'apps.openshift.io/v1',
  Job: undefined,
  Pod: undefined,
};

type Workload = KubernetesObject & {
  spec?: { replicas?: number; suspend?: boolean };
};

function header(w: WorkloadRef): KubernetesObject {
  const apiVersion = API[w.kind];
  if (!apiVersion) throw new Error(`cannot quiesce a ${w.kind}`);
  return {
    apiVersion,
    kind: w.kind,
    metadata: { name: w.name, namespace: w.namespace },
  };
}

/**
 * Scales the workloads to 0 (suspends CronJobs), recording the previous value on each object, so that
 * rollback, a clone, or a person can restore them. Re-running keeps the first recorded value.
 */
export async function quiesceWorkloads(
  kc: KubeConfig,
  workloads: WorkloadRef[],
  transferId: string,
): Promise<void> {
  const objects = new Objects(kc);
  for (const w of workloads) {
    await retryOnConflict(async () => {
      const obj = await objects.read<Workload>(header(w));
      if (!obj) return; // gone meanwhile: nothing to stop
      const ann = (obj.metadata!.annotations ??= {});
      const by = ann[QUIESCED_BY];
      if (by && by !== transferId)
        throw new Error(
          `${w.kind} ${w.namespace}/${w.name} is quiesced by transfer ${by}`,
        );
      ann[QUIESCED_BY] = transferId;
      obj.spec ??= {};
      if (w.kind === 'CronJob') {
        ann[QUIESCED_SUSPEND] ??= String(obj.spec.suspend === true);
        obj.spec.suspend = true;
      } else {
        ann[QUIESCED_REPLICAS] ??= String(obj.spec.replicas ?? 1);
        obj.spec.replicas = 0;
      }
      await objects.api.replace(obj);
    });
  }
}

/** Puts back what quiesceWorkloads recorded (only on objects this transfer quiesced). */
export async function restoreWorkloads(
  kc: KubeConfig,
  workloads: WorkloadRef[],
  transferId: string,
): Promise<void> {
  const objects = new Objects(kc);
  for (const w of workloads) {
    await retryOnConflict(async () => {
      const obj = await objects.read<Workload>(header(w));
      const ann = obj?.metadata?.annotations;
      if (!obj || !ann || ann[QUIESCED_BY] !== transferId) return;
      obj.spec ??= {};
      if (w.kind === 'CronJob')
        obj.spec.suspend = ann[QUIESCED_SUSPEND] === 'true';
      else obj.spec.replicas = Number(ann[QUIESCED_REPLICAS] ?? 1);
      delete ann[QUIESCED_BY];
      delete ann[QUIESCED_REPLICAS];
      delete ann[QUIESCED_SUSPEND];
      await objects.api.replace(obj);
    });
  }
}

/** Waits until no running pod mounts the claim (scaled-down pods still terminating count). */
export async function waitUntilUnmounted(
  kc: KubeConfig,
  namespace: string,
  claimName: string,
  opts: {
    timeoutMs: number;
    signal?: AbortSignal;
    ignorePods?: (name: string) => boolean;
  },
): Promise<void> {
  let users: string[] = [];
  try {
    await waitForPods(
      kc,
      namespace,
      pods => {
        users = pods
          .filter(
            p =>
              mountsClaim(p.spec, claimName) &&
              p.status?.phase !== 'Succeeded' &&
              p.status?.phase !== 'Failed',
          )
          .map(p => p.metadata!.name!)
          .filter(n => !opts.ignorePods?.(n));
        return users.length === 0 ? true : undefined;
      },
      {
        timeoutMs: opts.timeoutMs,
        signal: opts.signal,
        what: `pods to stop using PVC ${namespace}/${claimName}`,
      },
    );
  } catch (e) {
    if (e instanceof Error && users.length)
      e.message += ` (still mounted by: ${users.join(', ')})`;
    throw e;
  }
}
