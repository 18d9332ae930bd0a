/**
 * Test support for the worker on kube-sim: a storage class, a namespace, a bound claim filled with real
 * files (kube-sim's volumes are directories on this host, found through the PV's hostPath), the checksums
 * of a tree, and what a transfer left on a cluster.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  chownSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import {
  AppsV1Api,
  CoreV1Api,
  StorageV1Api,
  type KubeConfig,
} from '@kubernetes/client-node';
import { transferSelector } from '@namespace-transfer/plugin-namespace-transfer-node';
import { eventually } from './fakeEngine';

const ignoreConflict = (e: { code?: number }) => {
  if (e?.code !== 409) throw e;
};

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
    .catch(ignoreConflict);
}

export async function ensureNamespace(kc: KubeConfig, name: string) {
  await kc
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name } } })
    .catch(ignoreConflict);
}

/** The host directory behind a claim, once it is bound. */
export async function volumeDir(
  kc: KubeConfig,
  namespace: string,
  name: string,
): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const pvc = await eventually(
    async () => {
      const p = await core
        .readNamespacedPersistentVolumeClaim({ name, namespace })
        .catch(() => undefined);
      return p?.status?.phase === 'Bound' && p;
    },
    `claim ${namespace}/${name} to bind`,
    60_000,
  );
  const pv = await core.readPersistentVolume({ name: pvc.spec!.volumeName! });
  const path = pv.spec?.hostPath?.path;
  if (!path) throw new Error(`PV ${pv.metadata?.name} has no host directory`);
  return path;
}

/** A bound claim holding `files` random files (and one of `largeBytes`), owned by `uid`. */
export async function filledClaim(
  kc: KubeConfig,
  namespace: string,
  name: string,
  o: { files: number; largeBytes?: number; uid: number },
): Promise<string> {
  await kc.makeApiClient(CoreV1Api).createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'fast',
        resources: { requests: { storage: '1Gi' } },
      },
    },
  });
  const root = await volumeDir(kc, namespace, name);
  mkdirSync(join(root, 'nested/deeper'), { recursive: true });
  for (let i = 0; i < o.files; i++)
    writeFileSync(
      join(root, i % 3 ? 'nested' : 'nested/deeper', `f${i}.bin`),
      randomBytes(512 + i * 97),
    );
  if (o.largeBytes)
    writeFileSync(join(root, 'large.bin'), randomBytes(o.largeBytes));
  for (const p of [root, ...walk(root).map(f => join(root, f))])
    chownSync(p, o.uid, o.uid);
  for (const d of ['nested', 'nested/deeper'])
    chownSync(join(root, d), o.uid, o.uid);
  return root;
}

function walk(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'lost+found' ? [] : walk(root, p);
    return e.isFile() ? [relative(root, p)] : [];
  });
}

/** sha256 of every file under `root`, by relative path. */
export function checksums(root: string): Record<string, string> {
  return Object.fromEntries(
    walk(root)
      .sort()
      .map(f => [
        f,
        createHash('sha256')
          .update(readFileSync(join(root, f)))
          .digest('hex'),
      ]),
  );
}

/** A Deployment whose pods mount the claim as `uid`. */
export async function createWorkload(
  kc: KubeConfig,
  namespace: string,
  name: string,
  claimName: string,
  uid: number,
  replicas = 1,
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

export async function replicasOf(
  kc: KubeConfig,
  namespace: string,
  name: string,
): Promise<number | undefined> {
  const d = await kc
    .makeApiClient(AppsV1Api)
    .readNamespacedDeployment({ namespace, name });
  return d.spec?.replicas;
}

/** What the engine labelled with the transfer's id in the namespace: pods, Secrets, Services, ConfigMaps (and claims). */
export async function leftovers(
  kc: KubeConfig,
  namespace: string,
  engineId: string,
  o: { pvcs?: boolean } = {},
): Promise<string[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const labelSelector = transferSelector(engineId);
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
    (l.items as Array<{ kind?: string; metadata?: { name?: string } }>).map(
      x => x.metadata!.name!,
    ),
  );
}
