/**
 * Fixtures for tests of code that runs against kube-sim, through the real API: its host-path storage
 * class, namespaces, bound claims and the host directories behind them (kube-sim's volumes are directories
 * on this host, found through the PV), a Deployment that mounts a claim, and what carries a label.
 * The callers differ in small ways (a workload's replicas, whether a claim may not exist yet): those are
 * options here, so that each caller's own kit keeps its defaults.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AppsV1Api,
  CoreV1Api,
  StorageV1Api,
  type KubeConfig,
  type V1PersistentVolumeClaim,
} from '@kubernetes/client-node';
import { PROVISIONER_NAME } from '../controllers/provisioner/hostpath-provisioner';

// Tests share one world per file and make the same class or namespace more than once: 409 means "there".
const unlessExists = (e: { code?: number }) => {
  if (e?.code !== 409) throw e;
};

/** kube-sim's host-path storage class `name` (Immediate binding, reclaim Delete), unless it exists. */
export async function ensureStorageClass(kc: KubeConfig, name: string) {
  await kc
    .makeApiClient(StorageV1Api)
    .createStorageClass({
      body: {
        metadata: { name },
        provisioner: PROVISIONER_NAME,
        volumeBindingMode: 'Immediate',
        reclaimPolicy: 'Delete',
      },
    })
    .catch(unlessExists);
}

/** The namespace, unless it exists (an existing one keeps its own labels). */
export async function ensureNamespace(
  kc: KubeConfig,
  name: string,
  labels: Record<string, string> = {},
) {
  await kc
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name, labels } } })
    .catch(unlessExists);
}

export interface ClaimOptions {
  storageClassName: string;
  /** default 1Gi */
  size?: string;
  labels?: Record<string, string>;
}

/** Creates a ReadWriteOnce claim and waits until it is bound; returns the host directory behind it. */
export async function createBoundClaim(
  kc: KubeConfig,
  namespace: string,
  name: string,
  o: ClaimOptions,
): Promise<string> {
  await kc.makeApiClient(CoreV1Api).createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name, ...(o.labels ? { labels: o.labels } : {}) },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: o.storageClassName,
        resources: { requests: { storage: o.size ?? '1Gi' } },
      },
    },
  });
  return volumeDir(kc, namespace, name);
}

export interface VolumeDirOptions {
  /** default 60 s */
  timeoutMs?: number;
  /**
   * Wait while the claim does not exist (404) as well as while it is unbound: for a claim that someone
   * else (a controller, a transfer) is still to create. Without it a missing claim fails at once.
   */
  whileMissing?: boolean;
}

/** The host directory behind a claim, once it is bound. */
export async function volumeDir(
  kc: KubeConfig,
  namespace: string,
  name: string,
  o: VolumeDirOptions = {},
): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const pvc = await boundClaim(core, namespace, name, o);
  const pv = await core.readPersistentVolume({ name: pvc.spec!.volumeName! });
  const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
  if (!path) throw new Error(`PV ${pv.metadata?.name} has no host directory`);
  return path;
}

async function boundClaim(
  core: CoreV1Api,
  namespace: string,
  name: string,
  o: VolumeDirOptions,
): Promise<V1PersistentVolumeClaim> {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pvc = await core
      .readNamespacedPersistentVolumeClaim({ name, namespace })
      .catch(e => {
        if (o.whileMissing && e?.code === 404) return undefined;
        throw e;
      });
    if (pvc?.status?.phase === 'Bound') return pvc;
    if (Date.now() >= deadline)
      throw new Error(
        `timed out after ${Math.round(timeoutMs / 1000)}s waiting for PVC ${namespace}/${name} to bind`,
      );
    await sleep(100);
  }
}

export interface ClaimDeploymentOptions {
  claimName: string;
  /** user, group and fsGroup of its pods */
  uid: number;
  replicas: number;
}

/** A Deployment (labels app=`name`) whose pods mount the claim at /data and sleep. */
export async function createClaimDeployment(
  kc: KubeConfig,
  namespace: string,
  name: string,
  o: ClaimDeploymentOptions,
) {
  const { uid } = o;
  await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name },
      spec: {
        replicas: o.replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            securityContext: { runAsUser: uid, runAsGroup: uid, fsGroup: uid },
            containers: [
              {
                name: 'app',
                image: 'busybox',
                command: ['sleep', '3600'],
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              },
            ],
            volumes: [
              {
                name: 'data',
                persistentVolumeClaim: { claimName: o.claimName },
              },
            ],
          },
        },
      },
    },
  });
}

/**
 * `createWorkload(kc, namespace, name, claimName, uid, replicas?)` as a kit offers it, with that kit's
 * default replicas (one kit's tests want the app running, another's want it stopped until they scale it).
 */
export function workloadCreator(defaults: { replicas: number }) {
  return async (
    kc: KubeConfig,
    namespace: string,
    name: string,
    claimName: string,
    uid: number,
    replicas = defaults.replicas,
  ): Promise<void> =>
    createClaimDeployment(kc, namespace, name, { claimName, uid, replicas });
}

/**
 * The names of the pods, Secrets, Services, ConfigMaps and, with `pvcs`, claims in the namespace that
 * match `labelSelector`: what a run that labels everything it makes has left behind.
 */
export async function labelledNames(
  kc: KubeConfig,
  namespace: string,
  labelSelector: string,
  o: { pvcs?: boolean } = {},
): Promise<string[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const lists = await Promise.all([
    core.listNamespacedPod({ namespace, labelSelector }),
    core.listNamespacedSecret({ namespace, labelSelector }),
    core.listNamespacedService({ namespace, labelSelector }),
    core.listNamespacedConfigMap({ namespace, labelSelector }),
    ...(o.pvcs
      ? [core.listNamespacedPersistentVolumeClaim({ namespace, labelSelector })]
      : []),
  ]);
  return lists.flatMap(l =>
    (l.items as Array<{ metadata?: { name?: string } }>).map(
      x => x.metadata!.name!,
    ),
  );
}

/**
 * `leftovers(kc, namespace, id, { pvcs? })` for runs that label what they make with their id through
 * `selectorOf` (kube-sim does not know the labels of the code under test).
 */
export function leftoversFinder(selectorOf: (id: string) => string) {
  return async (
    kc: KubeConfig,
    namespace: string,
    id: string,
    o: { pvcs?: boolean } = {},
  ): Promise<string[]> => labelledNames(kc, namespace, selectorOf(id), o);
}
