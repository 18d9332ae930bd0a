import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { WorkloadRef } from '@namespace-transfer/plugin-namespace-transfer-common';
import { Discovery, retryOnConflict } from '../clusters';
import { Objects, waitForPods } from '../kube';
import { controllerRef, mountsClaim, readNamespaceSnapshot } from '../usage';

import {
  QUIESCED_AT,
  QUIESCED_BY,
  QUIESCED_NODE_SELECTOR,
  QUIESCED_REPLICAS,
  QUIESCED_SUSPEND,
  UNSCHEDULABLE_NODE_LABEL,
} from './annotations';

export {
  QUIESCED_AT,
  QUIESCED_BY,
  QUIESCED_NODE_SELECTOR,
  QUIESCED_REPLICAS,
  QUIESCED_SUSPEND,
  UNSCHEDULABLE_NODE_LABEL,
};

const API: Record<WorkloadRef['kind'], string | undefined> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  CronJob: 'batch/v1',
  DeploymentConfig: 'apps.openshift.io/v1',
  Job: undefined,
  Pod: undefined,
};

type Workload = KubernetesObject & {
  spec?: {
    replicas?: number;
    suspend?: boolean;
    template?: { spec?: { nodeSelector?: Record<string, string> } };
  };
};

/** How each kind is stopped and given back; the previous value is kept in an annotation on the object. */
function stop(obj: Workload, kind: WorkloadRef['kind'], transferId: string) {
  const ann = obj.metadata!.annotations!;
  const spec = (obj.spec ??= {});
  if (kind === 'CronJob') {
    ann[QUIESCED_SUSPEND] ??= String(spec.suspend === true);
    spec.suspend = true;
  } else if (kind === 'DaemonSet') {
    // a DaemonSet has no replicas: a node selector no node matches takes its pods off every node
    const podSpec = ((spec.template ??= {}).spec ??= {});
    ann[QUIESCED_NODE_SELECTOR] ??= podSpec.nodeSelector
      ? JSON.stringify(podSpec.nodeSelector)
      : '';
    podSpec.nodeSelector = {
      ...podSpec.nodeSelector,
      [UNSCHEDULABLE_NODE_LABEL]: transferId,
    };
  } else {
    ann[QUIESCED_REPLICAS] ??= String(spec.replicas ?? 1);
    spec.replicas = 0;
  }
}

const QUIESCE_MARKS = [
  QUIESCED_BY,
  QUIESCED_AT,
  QUIESCED_REPLICAS,
  QUIESCED_SUSPEND,
  QUIESCED_NODE_SELECTOR,
];

function giveBack(obj: Workload, kind: WorkloadRef['kind']) {
  const ann = obj.metadata!.annotations!;
  const spec = (obj.spec ??= {});
  if (kind === 'CronJob') spec.suspend = ann[QUIESCED_SUSPEND] === 'true';
  else if (kind === 'DaemonSet') {
    const podSpec = ((spec.template ??= {}).spec ??= {});
    const before = ann[QUIESCED_NODE_SELECTOR];
    if (before) podSpec.nodeSelector = JSON.parse(before);
    else delete podSpec.nodeSelector;
  } else spec.replicas = Number(ann[QUIESCED_REPLICAS] ?? 1);
  for (const a of QUIESCE_MARKS) delete ann[a];
}

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
 *
 * @public
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
      ann[QUIESCED_AT] ??= new Date().toISOString();
      stop(obj, w.kind, transferId);
      await objects.api.replace(obj);
    });
  }
}

/**
 * Puts back what quiesceWorkloads recorded (only on objects this transfer quiesced).
 *
 * @public
 */
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
      giveBack(obj, w.kind);
      await objects.api.replace(obj);
    });
  }
  // the Deployment controller copies a Deployment's annotations onto its ReplicaSet and never removes
  // them (so does OpenShift's for DeploymentConfigs and their ReplicationControllers): the copies go too
  const namespaces = [...new Set(workloads.map(w => w.namespace))];
  for (const ns of namespaces) await removeCopiedMarks(kc, ns, transferId);
}

const OWNED_COPIES: Array<[apiVersion: string, kind: string]> = [
  ['apps/v1', 'ReplicaSet'],
  ['v1', 'ReplicationController'],
];

async function removeCopiedMarks(
  kc: KubeConfig,
  namespace: string,
  transferId: string,
): Promise<void> {
  const objects = new Objects(kc);
  for (const [apiVersion, kind] of OWNED_COPIES) {
    const items = await objects.list<Workload>(apiVersion, kind, namespace, '');
    for (const item of items) {
      const ann = item.metadata?.annotations;
      if (ann?.[QUIESCED_BY] !== transferId || !controllerRef(item.metadata))
        continue;
      await retryOnConflict(async () => {
        const live = await objects.read<Workload>({
          apiVersion,
          kind,
          metadata: { name: item.metadata!.name, namespace },
        });
        const a = live?.metadata?.annotations;
        if (!live || a?.[QUIESCED_BY] !== transferId) return;
        for (const k of QUIESCE_MARKS) delete a[k];
        await objects.api.replace(live);
      });
    }
  }
}

/**
 * The workloads of a namespace that this transfer holds stopped, read from the cluster (their quiesced-by
 * annotation), so that a rollback or `nstransfer cleanup` gives back exactly what was stopped, whatever
 * a plan or checkpoint said.
 *
 * @public
 */
export async function quiescedWorkloads(
  kc: KubeConfig,
  namespace: string,
  transferId: string,
): Promise<WorkloadRef[]> {
  const openshift = await new Discovery(kc).isServed('apps.openshift.io/v1');
  const snapshot = await readNamespaceSnapshot(kc, namespace, { openshift });
  return snapshot.controllers
    .filter(
      c =>
        c.metadata.annotations?.[QUIESCED_BY] === transferId &&
        // a ReplicaSet carrying its Deployment's copied mark is the Deployment's to give back
        !controllerRef(c.metadata) &&
        API[c.kind as WorkloadRef['kind']],
    )
    .map(c => ({
      kind: c.kind as WorkloadRef['kind'],
      namespace,
      name: c.metadata.name ?? '',
    }));
}

/**
 * Gives back every workload of the namespace this transfer stopped; returns what it gave back.
 *
 * @public
 */
export async function restoreQuiesced(
  kc: KubeConfig,
  namespace: string,
  transferId: string,
): Promise<WorkloadRef[]> {
  const held = await quiescedWorkloads(kc, namespace, transferId);
  await restoreWorkloads(kc, held, transferId);
  return held;
}

/**
 * Waits until no running pod mounts the claim (scaled-down pods still terminating count, finished or not).
 *
 * @public
 */
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
        // a pod being deleted counts until it is gone, finished or not: until then its node may still
        // hold the volume (a ReadWriteOnce volume cannot be attached elsewhere meanwhile)
        users = pods
          .filter(
            p =>
              mountsClaim(p.spec, claimName, p.metadata?.name) &&
              ((p.status?.phase !== 'Succeeded' &&
                p.status?.phase !== 'Failed') ||
                !!p.metadata?.deletionTimestamp),
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
