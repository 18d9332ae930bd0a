// What a claim holds, read through the cluster: the admin kubeconfig finds the claim's PersistentVolume
// and kube-sim's provisioner keeps its data in the host directory the PV names (hostPath), so the test
// compares the files themselves rather than what the portal says about them.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

function coreApi(kubeconfig, context) {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  kc.setCurrentContext(context);
  return kc.makeApiClient(CoreV1Api);
}

/** The host directory of a bound claim, or undefined while it does not exist or is not bound. */
export async function claimDirectory(
  kubeconfig,
  { cluster, namespace, claim },
) {
  const core = coreApi(kubeconfig, cluster);
  const pvc = await core
    .readNamespacedPersistentVolumeClaim({ namespace, name: claim })
    .catch(e => {
      if (e?.code === 404) return undefined;
      throw e;
    });
  if (pvc?.status?.phase !== 'Bound') return undefined;
  const pv = await core.readPersistentVolume({ name: pvc.spec.volumeName });
  const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
  if (!path) throw new Error(`PV ${pv.metadata?.name} names no host directory`);
  return path;
}

async function sha256(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Every entry under `dir` by relative path: a file's size and SHA-256, a link's target, a directory as
 * such. Owners and modes are left out: a copy lands as the destination's identity on purpose.
 */
export async function treeOf(dir, prefix = '') {
  const out = {};
  for (const entry of (await readdir(join(dir, prefix))).sort()) {
    const rel = prefix ? `${prefix}/${entry}` : entry;
    const path = join(dir, rel);
    const stat = await lstat(path);
    if (stat.isSymbolicLink()) out[rel] = `-> ${await readlink(path)}`;
    else if (stat.isDirectory()) Object.assign(out, await treeOf(dir, rel));
    else out[rel] = `${stat.size} ${await sha256(path)}`;
  }
  return out;
}
