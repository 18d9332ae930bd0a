/**
 * Test support for the worker on kube-sim: a storage class, a namespace, a bound claim filled with real
 * files, the checksums of a tree, and what a transfer left on a cluster. What any code under test on
 * kube-sim needs comes from kube-sim's fixtures with the worker tests' defaults (a running workload, a
 * destination claim waited for until the transfer has made it); the filled claim and checksums are its own.
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
import { AppsV1Api, type KubeConfig } from '@kubernetes/client-node';
import { transferSelector } from '@namespace-transfer/plugin-namespace-transfer-node';
import * as fixtures from 'kube-sim/src/testing/fixtures';

export { ensureStorageClass } from 'kube-sim/src/testing/fixtures';

export async function ensureNamespace(kc: KubeConfig, name: string) {
  await fixtures.ensureNamespace(kc, name);
}

/** The host directory behind a claim, once it exists and is bound. */
export async function volumeDir(
  kc: KubeConfig,
  namespace: string,
  name: string,
): Promise<string> {
  return fixtures.volumeDir(kc, namespace, name, { whileMissing: true });
}

/** A bound claim holding `files` random files (and one of `largeBytes`), owned by `uid`. */
export async function filledClaim(
  kc: KubeConfig,
  namespace: string,
  name: string,
  o: { files: number; largeBytes?: number; uid: number },
): Promise<string> {
  const root = await fixtures.createBoundClaim(kc, namespace, name, {
    storageClassName: 'fast',
  });
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

/** A Deployment whose pods mount the claim as `uid`: running (one replica) unless asked otherwise. */
export const createWorkload = fixtures.workloadCreator({ replicas: 1 });

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
export const leftovers = fixtures.leftoversFinder(transferSelector);
