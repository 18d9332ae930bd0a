import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1ListMeta,
} from '@kubernetes/client-node';
import { withRetry, type RetryOptions } from '../clusters';
import {
  fromCronJob,
  fromDaemonSet,
  fromDeployment,
  fromJob,
  fromReplicaSet,
  fromStatefulSet,
  fromTemplated,
  type NamespaceSnapshot,
} from './snapshot';

const PAGE_SIZE = 500;

/**
 * One page of a list call.
 *
 * @public
 */
export type Page<T> = { items: T[]; metadata?: V1ListMeta };

/**
 * Follows `continue` tokens so that a large namespace is read in pages, as the API server expects.
 *
 * @public
 */
export async function listAll<T>(
  list: (page: { limit: number; _continue?: string }) => Promise<Page<T>>,
  retry: RetryOptions = {},
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const from = token;
    const page = await withRetry(
      () => list({ limit: PAGE_SIZE, _continue: from }),
      retry,
    );
    items.push(...page.items);
    token = page.metadata?._continue || undefined;
  } while (token);
  return items;
}

/**
 * One listing of everything in a namespace that decides who uses its claims: pods and every controller
 * kind that makes them (with OpenShift's DeploymentConfigs and their ReplicationControllers where served).
 *
 * @public
 */
export async function readNamespaceSnapshot(
  kc: KubeConfig,
  namespace: string,
  opts: {
    openshift: boolean;
    /** also list the namespace's claims (for StatefulSet claim templates) */
    claims?: boolean;
    /** how hard to retry (a portal answering a person gives up sooner than a transfer) */
    retry?: RetryOptions;
  },
): Promise<NamespaceSnapshot> {
  const r = opts.retry ?? {};
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const ns = <P>(p: P) => ({ ...p, namespace });
  const [
    pods,
    deployments,
    replicaSets,
    statefulSets,
    daemonSets,
    jobs,
    cronJobs,
  ] = await Promise.all([
    listAll(p => core.listNamespacedPod(ns(p)), r),
    listAll(p => apps.listNamespacedDeployment(ns(p)), r),
    listAll(p => apps.listNamespacedReplicaSet(ns(p)), r),
    listAll(p => apps.listNamespacedStatefulSet(ns(p)), r),
    listAll(p => apps.listNamespacedDaemonSet(ns(p)), r),
    listAll(p => batch.listNamespacedJob(ns(p)), r),
    listAll(p => batch.listNamespacedCronJob(ns(p)), r),
  ]);
  const controllers = [
    ...deployments.map(fromDeployment),
    ...replicaSets.map(fromReplicaSet),
    ...statefulSets.map(fromStatefulSet),
    ...daemonSets.map(fromDaemonSet),
    ...jobs.map(fromJob),
    ...cronJobs.map(fromCronJob),
  ];
  if (opts.openshift) {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const dcs = (await withRetry(
      () =>
        custom.listNamespacedCustomObject({
          group: 'apps.openshift.io',
          version: 'v1',
          namespace,
          plural: 'deploymentconfigs',
        }),
      r,
    )) as { items?: Parameters<ReturnType<typeof fromTemplated>>[0][] };
    controllers.push(
      ...(dcs.items ?? []).map(
        fromTemplated('apps.openshift.io/v1', 'DeploymentConfig'),
      ),
      ...(
        await listAll(p => core.listNamespacedReplicationController(ns(p)), r)
      ).map(fromTemplated('v1', 'ReplicationController')),
    );
  }
  const claims = opts.claims
    ? (
        await listAll(p => core.listNamespacedPersistentVolumeClaim(ns(p)), r)
      ).map(c => c.metadata?.name ?? '')
    : undefined;
  return { namespace, pods, controllers, claims };
}
