import {
  EntityKubernetesSelector,
  Volume,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  ControllerObject,
  fromCronJob,
  fromDaemonSet,
  fromDeployment,
  fromJob,
  fromReplicaSet,
  fromStatefulSet,
  httpStatus,
  readNamespaceSnapshot,
  RetryOptions,
  withRetry,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import { V1ListMeta } from '@kubernetes/client-node';
import { ClusterClients, PORTAL_RETRY, withTimeout } from '../clusters';
import { collectNamespaceVolumes } from './collectVolumes';
import {
  LabelledKeys,
  objectKey,
  VolumesSnapshot,
  workloadKey,
} from './snapshot';

type Page = { limit: number; _continue?: string };

const PAGE_SIZE = 500;

/**
 * The engine's listAll with the caller's retry options (the portal's policy and the request's deadline).
 * TODO: drop once the engine's listAll takes RetryOptions.
 */
async function listPages<T>(
  list: (page: Page) => Promise<{ items: T[]; metadata?: V1ListMeta }>,
  retry: RetryOptions,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = { limit: PAGE_SIZE, _continue: token };
    const { items: pageItems, metadata } = await withRetry(
      () => list(page),
      retry,
    );
    items.push(...pageItems);
    token = metadata?._continue || undefined;
  } while (token);
  return items;
}

/**
 * What carries the entity's labels, in one namespace or in all of them: selected by the API server, so
 * every label selector syntax the cluster knows works. The first read of a cluster, so it retries with the
 * portal's short policy: a cluster that does not answer is reported at once.
 */
async function listLabelled(
  c: ClusterClients,
  namespace: string | undefined,
  labelSelector: string,
  retry: RetryOptions,
) {
  const listAll = <T>(
    list: (page: Page) => Promise<{ items: T[]; metadata?: V1ListMeta }>,
  ) => listPages(list, retry);
  const at = <P extends Page>(p: P) => ({
    ...p,
    labelSelector,
    namespace: namespace!,
  });
  const all = <P extends Page>(p: P) => ({ ...p, labelSelector });
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
    listAll(p =>
      namespace
        ? c.core.listNamespacedPersistentVolumeClaim(at(p))
        : c.core.listPersistentVolumeClaimForAllNamespaces(all(p)),
    ),
    listAll(p =>
      namespace
        ? c.core.listNamespacedPod(at(p))
        : c.core.listPodForAllNamespaces(all(p)),
    ),
    listAll(p =>
      namespace
        ? c.apps.listNamespacedDeployment(at(p))
        : c.apps.listDeploymentForAllNamespaces(all(p)),
    ),
    listAll(p =>
      namespace
        ? c.apps.listNamespacedReplicaSet(at(p))
        : c.apps.listReplicaSetForAllNamespaces(all(p)),
    ),
    listAll(p =>
      namespace
        ? c.apps.listNamespacedStatefulSet(at(p))
        : c.apps.listStatefulSetForAllNamespaces(all(p)),
    ),
    listAll(p =>
      namespace
        ? c.apps.listNamespacedDaemonSet(at(p))
        : c.apps.listDaemonSetForAllNamespaces(all(p)),
    ),
    listAll(p =>
      namespace
        ? c.batch.listNamespacedJob(at(p))
        : c.batch.listJobForAllNamespaces(all(p)),
    ),
    listAll(p =>
      namespace
        ? c.batch.listNamespacedCronJob(at(p))
        : c.batch.listCronJobForAllNamespaces(all(p)),
    ),
  ]);
  const controllers: ControllerObject[] = [
    ...deployments.map(fromDeployment),
    ...replicaSets.map(fromReplicaSet),
    ...statefulSets.map(fromStatefulSet),
    ...daemonSets.map(fromDaemonSet),
    ...jobs.map(fromJob),
    ...cronJobs.map(fromCronJob),
  ];
  return { pvcs, pods, controllers };
}

/** Namespace annotations decide transferability; a namespace we may not read leaves the PVC's own say. */
async function namespaceAnnotations(
  c: ClusterClients,
  name: string,
  retry: RetryOptions,
): Promise<Record<string, string> | undefined> {
  try {
    const ns = await withRetry(() => c.core.readNamespace({ name }), retry);
    return ns.metadata?.annotations ?? {};
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404 || status === 403) return undefined;
    throw error;
  }
}

/**
 * Everything of one namespace: the engine's snapshot of pods and controllers (the listing its quiesce
 * resolves users from, with the engine's retries: the cluster has just answered), the claims and the
 * namespace's annotations.
 */
async function readNamespace(
  c: ClusterClients,
  namespace: string,
  retry: RetryOptions,
): Promise<VolumesSnapshot> {
  const [snapshot, pvcs, annotations] = await Promise.all([
    // DeploymentConfigs are not read: the reader ClusterRole in deploy/ grants no access to them
    readNamespaceSnapshot(c.kubeConfig, namespace, { openshift: false }),
    listPages(
      p => c.core.listNamespacedPersistentVolumeClaim({ ...p, namespace }),
      retry,
    ),
    namespaceAnnotations(c, namespace, retry),
  ]);
  return { ...snapshot, namespaceAnnotations: annotations, pvcs };
}

/**
 * Reads an entity's volumes on one cluster: first what carries its labels, then everything in the
 * namespaces involved, to find who mounts which claim.
 */
export async function readClusterVolumes(
  clients: ClusterClients,
  selector: EntityKubernetesSelector,
  timeoutMs: number,
): Promise<Volume[]> {
  const cluster = clients.cluster.name;
  return withTimeout(
    async signal => {
      const retry = { ...PORTAL_RETRY, signal };
      const selected = await listLabelled(
        clients,
        selector.namespace,
        selector.labelSelector,
        retry,
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
          selected.controllers.map(w =>
            workloadKey(w.kind, w.metadata.namespace, w.metadata.name),
          ),
        ),
      };
      const namespaces = selector.namespace
        ? [selector.namespace]
        : [
            ...new Set(
              [
                ...selected.pvcs.map(o => o.metadata?.namespace),
                ...selected.pods.map(o => o.metadata?.namespace),
                ...selected.controllers.map(o => o.metadata.namespace),
              ].map(ns => ns ?? ''),
            ),
          ].filter(Boolean);

      const snapshots = await Promise.all(
        namespaces.map(namespace => readNamespace(clients, namespace, retry)),
      );
      return snapshots
        .flatMap(s => collectNamespaceVolumes(cluster, s, labelled))
        .sort(
          (a, b) =>
            a.namespace.localeCompare(b.namespace) ||
            a.name.localeCompare(b.name),
        );
    },
    timeoutMs,
    `reading volumes on cluster '${cluster}'`,
  );
}
