/**
 * Test support for kube-sim: a storage class, namespaces, a PVC filled with a real tree (kube-sim's
 * volumes are directories on this host, found through the PV's hostPath).
 */
import {
  AppsV1Api,
  CoreV1Api,
  StorageV1Api,
  type KubeConfig,
  type V1PersistentVolume,
  type V1Pod,
} from '@kubernetes/client-node';
import type { Plan } from '@namespace-transfer/plugin-namespace-transfer-common';
import { TransferRefusedError } from '../copy';
import { pollUntil } from '../kube';
import { transferSelector } from '../naming';

/**
 * A one-container pod that passes Pod Security "restricted" (kube-sim runs `command` as a host process),
 * mounting `claim` at /data when given.
 */
export function restrictedPod(
  name: string,
  command: string[],
  o: { uid?: number; restartPolicy?: string; claim?: string } = {},
): V1Pod {
  return {
    metadata: { name },
    spec: {
      ...(o.claim
        ? {
            volumes: [
              { name: 'data', persistentVolumeClaim: { claimName: o.claim } },
            ],
          }
        : {}),
      restartPolicy: o.restartPolicy ?? 'Never',
      securityContext: {
        runAsNonRoot: true,
        runAsUser: o.uid ?? 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: 'c',
          image: 'busybox',
          command,
          ...(o.claim
            ? { volumeMounts: [{ name: 'data', mountPath: '/data' }] }
            : {}),
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
          },
        },
      ],
    },
  };
}

export async function ensureStorageClass(kc: KubeConfig, name: string) {
  await kc
    .makeApiClient(StorageV1Api)
    .createStorageClass({
      body: {
        metadata: { name },
        provisioner: 'kube-sim.io/hostpath',
        volumeBindingMode: 'Immediate',
        reclaimPolicy: 'Delete',
      },
    })
    .catch(e => {
      if (e?.code !== 409) throw e;
    });
}

export async function ensureNamespace(
  kc: KubeConfig,
  name: string,
  labels: Record<string, string> = {},
) {
  await kc
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name, labels } } })
    .catch(e => {
      if (e?.code !== 409) throw e;
    });
}

/** Creates a PVC and waits until it is bound; returns the host directory behind it. */
export async function createBoundPvc(
  kc: KubeConfig,
  namespace: string,
  name: string,
  storageClassName: string,
  size = '1Gi',
): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName,
        resources: { requests: { storage: size } },
      },
    },
  });
  return volumeDir(kc, namespace, name);
}

export async function volumeDir(
  kc: KubeConfig,
  namespace: string,
  name: string,
  timeoutMs = 60_000,
): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const pvc = await pollUntil(
    async () => {
      const p = await core.readNamespacedPersistentVolumeClaim({
        name,
        namespace,
      });
      return p.status?.phase === 'Bound' ? p : undefined;
    },
    { timeoutMs, what: `PVC ${namespace}/${name} to bind` },
  );
  const pv: V1PersistentVolume = await core.readPersistentVolume({
    name: pvc.spec!.volumeName!,
  });
  const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
  if (!path) throw new Error(`PV ${pv.metadata?.name} has no host directory`);
  return path;
}

/** A Deployment (0 replicas unless asked) whose pods mount the claim as the given user. */
export async function createWorkload(
  kc: KubeConfig,
  namespace: string,
  name: string,
  claimName: string,
  uid: number,
  replicas = 0,
) {
  await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name },
      spec: {
        replicas,
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
            volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
          },
        },
      },
    },
  });
}

/**
 * The names of what a transfer labelled with its id has in a namespace: pods, Secrets, Services,
 * ConfigMaps and, with `pvcs`, PVCs (a successful copy's destination PVC keeps the label).
 */
export async function transferLeftovers(
  kc: KubeConfig,
  namespace: string,
  id: string,
  opts: { pvcs?: boolean } = {},
): Promise<string[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const labelSelector = transferSelector(id);
  const lists = await Promise.all([
    core.listNamespacedPod({ namespace, labelSelector }),
    core.listNamespacedSecret({ namespace, labelSelector }),
    core.listNamespacedService({ namespace, labelSelector }),
    core.listNamespacedConfigMap({ namespace, labelSelector }),
    ...(opts.pvcs
      ? [core.listNamespacedPersistentVolumeClaim({ namespace, labelSelector })]
      : []),
  ]);
  return lists.flatMap(l =>
    (l.items as Array<{ metadata?: { name?: string } }>).map(
      o => o.metadata!.name!,
    ),
  );
}

/** The plan of a run that must have been refused in preflight; anything else fails the test. */
export async function refusedPlan(run: Promise<unknown>): Promise<Plan> {
  const outcome = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof TransferRefusedError))
    throw new Error(
      `expected a refusal in preflight, got ${outcome === undefined ? 'a finished transfer' : String(outcome)}`,
    );
  return outcome.plan;
}
