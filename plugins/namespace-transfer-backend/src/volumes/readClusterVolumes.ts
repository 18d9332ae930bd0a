import { ApiException, V1ListMeta } from '@kubernetes/client-node';
import {
  EntityKubernetesSelector,
  Volume,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { ClusterClients } from '../clusters';
import { withTimeout } from '../clusters/errors';
import { collectNamespaceVolumes } from './collectVolumes';
import {
  LabelledKeys,
  NamespaceSnapshot,
  objectKey,
  WorkloadObject,
  workloadKey,
} from './snapshot';
import {
  fromCronJob,
  fromDaemonSet,
  fromDeployment,
  fromJob,
  fromReplicaSet,
  fromStatefulSet,
} from './workloads';

const PAGE_SIZE = 500;

type Page<T> = { items: T[]; metadata?: V1ListMeta };
type ListParams = { labelSelector?: string; limit: number; _continue?: string };

/** Follows `continue` tokens so a large namespace is read in pages, as the API server expects. */
async function listAll<T>(
  list: (p: ListParams) => Promise<Page<T>>,
  labelSelector?: string,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await list({
      labelSelector,
      limit: PAGE_SIZE,
      _continue: token,
    });
    items.push(...page.items);
    token = page.metadata?._continue || undefined;
  } while (token);
  return items;
}

/** Lists of one namespace, or all namespaces when `namespace` is undefined. */
function listers(c: ClusterClients, namespace: string | undefined) {
  const ns = <P>(p: P) => ({ ...p, namespace: namespace! });
  return {
    pvcs: (p: ListParams) =>
      namespace
        ? c.core.listNamespacedPersistentVolumeClaim(ns(p))
        : c.core.listPersistentVolumeClaimForAllNamespaces(p),
    pods: (p: ListParams) =>
      namespace
        ? c.core.listNamespacedPod(ns(p))
        : c.core.listPodForAllNamespaces(p),
    deployments: (p: ListParams) =>
      namespace
        ? c.apps.listNamespacedDeployment(ns(p))
        : c.apps.listDeploymentForAllNamespaces(p),
    replicaSets: (p: ListParams) =>
      namespace
        ? c.apps.listNamespacedReplicaSet(ns(p))
        : c.apps.listReplicaSetForAllNamespaces(p),
    statefulSets: (p: ListParams) =>
      namespace
        ? c.apps.listNamespacedStatefulSet(ns(p))
        : c.apps.listStatefulSetForAllNamespaces(p),
    daemonSets: (p: ListParams) =>
      namespace
        ? c.apps.listNamespacedDaemonSet(ns(p))
        : c.apps.listDaemonSetForAllNamespaces(p),
    jobs: (p: ListParams) =>
      namespace
        ? c.batch.listNamespacedJob(ns(p))
        : c.batch.listJobForAllNamespaces(p),
    cronJobs: (p: ListParams) =>
      namespace
        ? c.batch.listNamespacedCronJob(ns(p))
        : c.batch.listCronJobForAllNamespaces(p),
  };
}

async function listObjects(
  c: ClusterClients,
  namespace: string | undefined,
  labelSelector?: string,
) {
  const l = listers(c, namespace);
  const [
    pvcs,
    pods,
    deployments,
    replicaSets,
    statefulSets,
    daemonSets,
    jobs,
    cronJobs,
  ] = await Promise.all([
    listAll(l.pvcs, labelSelector),
    listAll(l.pods, labelSelector),
    listAll(l.deployments, labelSelector),
    listAll(l.replicaSets, labelSelector),
    listAll(l.statefulSets, labelSelector),
    listAll(l.daemonSets, labelSelector),
    listAll(l.jobs, labelSelector),
    listAll(l.cronJobs, labelSelector),
  ]);
  const workloads: WorkloadObject[] = [
    ...deployments.map(fromDeployment),
    ...replicaSets.map(fromReplicaSet),
    ...statefulSets.map(fromStatefulSet),
    ...daemonSets.map(fromDaemonSet),
    ...jobs.map(fromJob),
    ...cronJobs.map(fromCronJob),
  ];
  return { pvcs, pods, workloads };
}

/** Namespace annotations decide transferability; a namespace we may not read leaves the PVC's own say. */
async function namespaceAnnotations(
  c: ClusterClients,
  name: string,
): Promise<Record<string, string> | undefined> {
  try {
    const ns = await c.core.readNamespace({ name });
    return ns.metadata?.annotations ?? {};
  } catch (error) {
    if (
      error instanceof ApiException &&
      (error.code === 404 || error.code === 403)
    )
      return undefined;
    throw error;
  }
}

/**
 * Reads an entity's volumes on one cluster: first what carries its labels (selected by the API server, so
 * every label selector syntax the cluster knows works), then everything in the namespaces involved, to
 * find who mounts which claim.
 */
export async function readClusterVolumes(
  clients: ClusterClients,
  selector: EntityKubernetesSelector,
  timeoutMs: number,
): Promise<Volume[]> {
  const cluster = clients.cluster.name;
  return withTimeout(
    (async () => {
      const selected = await listObjects(
        clients,
        selector.namespace,
        selector.labelSelector,
      );
      const labelled: LabelledKeys = {
        pvcs: new Set(
          selected.pvcs.map(p =>
            objectKey(p.metadata?.namespace, p.metadata?.name),
          ),
        ),
        pods: new Set(
          selected.pods.map(p =>
            objectKey(p.metadata?.namespace, p.metadata?.name),
          ),
        ),
        workloads: new Set(
          selected.workloads.map(w =>
            workloadKey(w.kind, w.metadata.namespace, w.metadata.name),
          ),
        ),
      };
      const namespaces = selector.namespace
        ? [selector.namespace]
        : [
            ...new Set(
              [...selected.pvcs, ...selected.pods, ...selected.workloads].map(
                o => o.metadata?.namespace ?? '',
              ),
            ),
          ].filter(Boolean);

      const snapshots: NamespaceSnapshot[] = await Promise.all(
        namespaces.map(async namespace => {
          const [all, annotations] = await Promise.all([
            listObjects(clients, namespace),
            namespaceAnnotations(clients, namespace),
          ]);
          return { namespace, namespaceAnnotations: annotations, ...all };
        }),
      );
      return snapshots
        .flatMap(s => collectNamespaceVolumes(cluster, s, labelled))
        .sort(
          (a, b) =>
            a.namespace.localeCompare(b.namespace) ||
            a.name.localeCompare(b.name),
        );
    })(),
    timeoutMs,
    `reading volumes on cluster '${cluster}'`,
  );
}
