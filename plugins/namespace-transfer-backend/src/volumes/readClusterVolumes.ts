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
  fromTemplated,
  httpStatus,
  listAll,
  readNamespaceSnapshot,
  RetryOptions,
  withRetry,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import { CustomObjectsApi, V1ListMeta } from '@kubernetes/client-node';
import { ClusterClients, PORTAL_RETRY, withTimeout } from '../clusters';
import { collectNamespaceVolumes } from './collectVolumes';
import {
  LabelledKeys,
  objectKey,
  VolumesSnapshot,
  workloadKey,
} from './snapshot';

type Page = { limit: number; _continue?: string };

/** OpenShift's DeploymentConfigs, which run their pods through ReplicationControllers. */
const OPENSHIFT_APPS = 'apps.openshift.io/v1';

type TemplatedObject = Parameters<ReturnType<typeof fromTemplated>>[0];

/**
 * The labelled DeploymentConfigs and ReplicationControllers of an OpenShift cluster (a DeploymentConfig is
 * a custom object to this client, listed in pages like the rest).
 */
async function listLabelledOpenShift(
  c: ClusterClients,
  namespace: string | undefined,
  labelSelector: string,
  retry: RetryOptions,
): Promise<ControllerObject[]> {
  const custom = c.kubeConfig.makeApiClient(CustomObjectsApi);
  const dc = { group: 'apps.openshift.io', version: 'v1', labelSelector };
  const [dcs, rcs] = await Promise.all([
    listAll<TemplatedObject>(
      p =>
        (namespace
          ? custom.listNamespacedCustomObject({
              ...dc,
              ...p,
              namespace,
              plural: 'deploymentconfigs',
            })
          : custom.listClusterCustomObject({
              ...dc,
              ...p,
              plural: 'deploymentconfigs',
            })) as Promise<{ items: TemplatedObject[]; metadata?: V1ListMeta }>,
      retry,
    ),
    listAll(
      p =>
        namespace
          ? c.core.listNamespacedReplicationController({
              ...p,
              labelSelector,
              namespace,
            })
          : c.core.listReplicationControllerForAllNamespaces({
              ...p,
              labelSelector,
            }),
      retry,
    ),
  ]);
  return [
    ...dcs.map(fromTemplated(OPENSHIFT_APPS, 'DeploymentConfig')),
    ...rcs.map(fromTemplated('v1', 'ReplicationController')),
  ];
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
  openshift: boolean,
  retry: RetryOptions,
) {
  const list = <T>(
    fn: (page: Page) => Promise<{ items: T[]; metadata?: V1ListMeta }>,
  ) => listAll(fn, retry);
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
    openshiftControllers,
  ] = await Promise.all([
    list(p =>
      namespace
        ? c.core.listNamespacedPersistentVolumeClaim(at(p))
        : c.core.listPersistentVolumeClaimForAllNamespaces(all(p)),
    ),
    list(p =>
      namespace
        ? c.core.listNamespacedPod(at(p))
        : c.core.listPodForAllNamespaces(all(p)),
    ),
    list(p =>
      namespace
        ? c.apps.listNamespacedDeployment(at(p))
        : c.apps.listDeploymentForAllNamespaces(all(p)),
    ),
    list(p =>
      namespace
        ? c.apps.listNamespacedReplicaSet(at(p))
        : c.apps.listReplicaSetForAllNamespaces(all(p)),
    ),
    list(p =>
      namespace
        ? c.apps.listNamespacedStatefulSet(at(p))
        : c.apps.listStatefulSetForAllNamespaces(all(p)),
    ),
    list(p =>
      namespace
        ? c.apps.listNamespacedDaemonSet(at(p))
        : c.apps.listDaemonSetForAllNamespaces(all(p)),
    ),
    list(p =>
      namespace
        ? c.batch.listNamespacedJob(at(p))
        : c.batch.listJobForAllNamespaces(all(p)),
    ),
    list(p =>
      namespace
        ? c.batch.listNamespacedCronJob(at(p))
        : c.batch.listCronJobForAllNamespaces(all(p)),
    ),
    openshift ? listLabelledOpenShift(c, namespace, labelSelector, retry) : [],
  ]);
  const controllers: ControllerObject[] = [
    ...deployments.map(fromDeployment),
    ...replicaSets.map(fromReplicaSet),
    ...statefulSets.map(fromStatefulSet),
    ...daemonSets.map(fromDaemonSet),
    ...jobs.map(fromJob),
    ...cronJobs.map(fromCronJob),
    ...openshiftControllers,
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
 * resolves users from, DeploymentConfigs and ReplicationControllers included where served), the claims
 * and the namespace's annotations, all with the portal's retry policy and the request's deadline.
 */
async function readNamespace(
  c: ClusterClients,
  namespace: string,
  openshift: boolean,
  retry: RetryOptions,
): Promise<VolumesSnapshot> {
  const [snapshot, pvcs, annotations] = await Promise.all([
    readNamespaceSnapshot(c.kubeConfig, namespace, { openshift, retry }),
    listAll(
      p => c.core.listNamespacedPersistentVolumeClaim({ ...p, namespace }),
      retry,
    ),
    namespaceAnnotations(c, namespace, retry),
  ]);
  return { ...snapshot, namespaceAnnotations: annotations, pvcs };
}

/**
 * Reads an entity's volumes on one cluster: first what carries its labels, then everything in the
 * namespaces involved, to find who mounts which claim. Where the cluster serves OpenShift's
 * DeploymentConfigs (asked once per cluster), they are read too, so that a DeploymentConfig's pods resolve
 * to it rather than to a ReplicationController a transfer cannot stop.
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
      const openshift = await clients.discovery.isServed(OPENSHIFT_APPS);
      const selected = await listLabelled(
        clients,
        selector.namespace,
        selector.labelSelector,
        openshift,
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
        namespaces.map(namespace =>
          readNamespace(clients, namespace, openshift, retry),
        ),
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
