import {
  EntityKubernetesSelector,
  Volume,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  httpStatus,
  listAll,
  readNamespaceSnapshot,
  RetryOptions,
  withRetry,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import { V1ListMeta } from '@kubernetes/client-node';
import {
  ClusterApis,
  ClusterClients,
  PORTAL_RETRY,
  withTimeout,
} from '../clusters';
import { labelSelectorMatcher } from '../entities';
import { collectNamespaceVolumes } from './collectVolumes';
import {
  LabelledKeys,
  objectKey,
  VolumesSnapshot,
  workloadKey,
} from './snapshot';

type Page = { limit: number; _continue?: string };
type Listed = { metadata?: { namespace?: string } };

/** OpenShift's DeploymentConfigs, which run their pods through ReplicationControllers. */
const OPENSHIFT_APPS = 'apps.openshift.io/v1';

/** Namespaces read at once: an entity spread over many namespaces does not open hundreds of requests. */
const NAMESPACES_AT_ONCE = 4;

/**
 * The namespaces where something carries the entity's labels, for an entity without a namespace
 * annotation: one label-selected list per kind across all namespaces (selected by the API server, so
 * only the entity's own objects come back), of every kind that can hold or mount a claim.
 */
async function labelledNamespaces(
  api: ClusterApis,
  labelSelector: string,
  openshift: boolean,
  retry: RetryOptions,
): Promise<string[]> {
  const list = (
    fn: (page: Page) => Promise<{ items: Listed[]; metadata?: V1ListMeta }>,
  ) => listAll<Listed>(fn, retry);
  const s = <P extends Page>(p: P) => ({ ...p, labelSelector });
  const lists = [
    list(p => api.core.listPersistentVolumeClaimForAllNamespaces(s(p))),
    list(p => api.core.listPodForAllNamespaces(s(p))),
    list(p => api.apps.listDeploymentForAllNamespaces(s(p))),
    list(p => api.apps.listReplicaSetForAllNamespaces(s(p))),
    list(p => api.apps.listStatefulSetForAllNamespaces(s(p))),
    list(p => api.apps.listDaemonSetForAllNamespaces(s(p))),
    list(p => api.batch.listJobForAllNamespaces(s(p))),
    list(p => api.batch.listCronJobForAllNamespaces(s(p))),
  ];
  if (openshift) {
    lists.push(
      list(
        p =>
          api.custom.listClusterCustomObject({
            ...s(p),
            group: 'apps.openshift.io',
            version: 'v1',
            plural: 'deploymentconfigs',
          }) as Promise<{ items: Listed[]; metadata?: V1ListMeta }>,
      ),
      list(p => api.core.listReplicationControllerForAllNamespaces(s(p))),
    );
  }
  const found = (await Promise.all(lists)).flat();
  return [
    ...new Set(found.map(o => o.metadata?.namespace ?? '').filter(Boolean)),
  ].sort();
}

/** Namespace annotations decide transferability; a namespace we may not read leaves the PVC's own say. */
async function namespaceAnnotations(
  api: ClusterApis,
  name: string,
  retry: RetryOptions,
): Promise<Record<string, string> | undefined> {
  try {
    const ns = await withRetry(() => api.core.readNamespace({ name }), retry);
    return ns.metadata?.annotations ?? {};
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404 || status === 403) return undefined;
    throw error;
  }
}

/**
 * Everything of one namespace, each kind listed once: the engine's snapshot of pods and controllers (the
 * listing its quiesce resolves users from, DeploymentConfigs and ReplicationControllers included where
 * served), the claims and the namespace's annotations, with the portal's retry policy; every request and
 * retry carries the request's deadline (the clients' signal).
 */
async function readNamespace(
  api: ClusterApis,
  namespace: string,
  openshift: boolean,
  retry: RetryOptions,
): Promise<VolumesSnapshot> {
  const [snapshot, pvcs, annotations] = await Promise.all([
    readNamespaceSnapshot(api.kubeConfig, namespace, { openshift, retry }),
    listAll(
      p => api.core.listNamespacedPersistentVolumeClaim({ ...p, namespace }),
      retry,
    ),
    namespaceAnnotations(api, namespace, retry),
  ]);
  return { ...snapshot, namespaceAnnotations: annotations, pvcs };
}

/** `fn` over `items`, at most `limit` at a time, results in the order of `items`. */
async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

/** What in the snapshots carries the entity's labels, by Kubernetes' selector rules applied here. */
function labelledKeys(
  snapshots: VolumesSnapshot[],
  labelSelector: string,
): LabelledKeys {
  const matches = labelSelectorMatcher(labelSelector);
  const labelled: LabelledKeys = {
    pvcs: new Set(),
    pods: new Set(),
    workloads: new Set(),
  };
  for (const s of snapshots) {
    for (const p of s.pvcs)
      if (matches(p.metadata?.labels))
        labelled.pvcs.add(objectKey(s.namespace, p.metadata?.name));
    for (const p of s.pods)
      if (matches(p.metadata?.labels))
        labelled.pods.add(objectKey(s.namespace, p.metadata?.name));
    for (const w of s.controllers)
      if (matches(w.metadata.labels))
        labelled.workloads.add(
          workloadKey(w.kind, s.namespace, w.metadata.name),
        );
  }
  return labelled;
}

/**
 * Reads an entity's volumes on one cluster, listing each kind once per namespace involved: the
 * annotated namespace, or, for an entity without one, the namespaces where label-selected lists across
 * the cluster found its objects. Which of a namespace's objects carry the entity's labels is decided from
 * that same listing (Kubernetes' selector syntax, see labelSelector.ts), and who mounts which claim from
 * everything in it. Where the cluster serves OpenShift's DeploymentConfigs (asked once per cluster),
 * they are read too, so that a DeploymentConfig's pods resolve to it rather than to a
 * ReplicationController a transfer cannot stop.
 *
 * All of it runs within `timeoutMs`: at the deadline every request still open, and every retry waiting,
 * is aborted (the clients' AbortSignal), and the call rejects with a timeout.
 */
export async function readClusterVolumes(
  clients: ClusterClients,
  selector: EntityKubernetesSelector,
  timeoutMs: number,
): Promise<Volume[]> {
  const cluster = clients.cluster.name;
  // a selector Kubernetes would refuse is refused before any request
  labelSelectorMatcher(selector.labelSelector);
  return withTimeout(
    async signal => {
      const api = clients.withSignal(signal);
      const retry = { ...PORTAL_RETRY, signal };
      const openshift = await clients.isServed(OPENSHIFT_APPS, signal);
      const namespaces = selector.namespace
        ? [selector.namespace]
        : await labelledNamespaces(
            api,
            selector.labelSelector,
            openshift,
            retry,
          );
      const snapshots = await mapLimit(namespaces, NAMESPACES_AT_ONCE, ns =>
        readNamespace(api, ns, openshift, retry),
      );
      const labelled = labelledKeys(snapshots, selector.labelSelector);
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
