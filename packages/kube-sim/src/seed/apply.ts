import {
  KubernetesObjectApi,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Creates each object, or replaces its spec when it exists (a small `kubectl apply`). */
export async function applyManifests(
  kc: KubeConfig,
  manifests: KubernetesObject[],
): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  for (const m of manifests) {
    try {
      await api.create(m);
    } catch (e: any) {
      if (e?.code !== 409)
        throw new Error(
          `applying ${m.kind} ${m.metadata?.namespace ?? ''}/${m.metadata?.name}: ${e?.body ?? e}`,
        );
      await api.patch(
        m,
        undefined,
        undefined,
        'kube-sim-seed',
        undefined,
        'application/merge-patch+json' as any,
      );
    }
  }
}

/** All YAML documents of a file or of the .yaml/.yml files of a folder tree, in path order. */
export async function readManifests(path: string): Promise<KubernetesObject[]> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const names = (await readdir(path)).sort();
    const nested = await Promise.all(
      names.map(n => readManifests(join(path, n)).catch(() => [])),
    );
    return nested.flat();
  }
  if (!/\.ya?ml$/.test(path)) return [];
  const docs = parseAllDocuments(await readFile(path, 'utf8'));
  return docs
    .map(d => d.toJS())
    .filter(
      (o): o is KubernetesObject => !!o && typeof o === 'object' && 'kind' in o,
    );
}
