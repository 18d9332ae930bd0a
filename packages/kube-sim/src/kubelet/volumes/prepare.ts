import type {
  V1ConfigMap,
  V1DownwardAPIVolumeFile,
  V1KeyToPath,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1Secret,
  V1Volume,
} from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Projection, writeProjection } from './atomicWriter';
import { setVolumeOwnership } from './ownership';

/** What the volume manager needs from the API. */
export interface VolumeSources {
  pvc(
    namespace: string,
    name: string,
  ): Promise<V1PersistentVolumeClaim | undefined>;
  pv(name: string): Promise<V1PersistentVolume | undefined>;
  secret(namespace: string, name: string): Promise<V1Secret | undefined>;
  configMap(namespace: string, name: string): Promise<V1ConfigMap | undefined>;
}

export interface PreparedVolume {
  hostPath: string;
  /** the volume itself is read-only (PVC readOnly, or a projected volume, which the kubelet mounts ro) */
  readOnly: boolean;
}

/** A volume that cannot be set up yet: the pod stays in ContainerCreating and the kubelet retries. */
export class MountError extends Error {
  constructor(
    readonly volume: string,
    message: string,
  ) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${message}`);
  }
}

const DEFAULT_MODE = 0o644;

async function isDir(p: string): Promise<boolean> {
  return fs.stat(p).then(
    s => s.isDirectory(),
    () => false,
  );
}

function selectKeys(
  available: Record<string, Buffer>,
  items: V1KeyToPath[] | undefined,
  mode: number,
  kind: string,
  optional: boolean,
): Projection[] {
  if (!items?.length) {
    return Object.entries(available).map(([k, content]) => ({
      path: k,
      content,
      mode,
    }));
  }
  const out: Projection[] = [];
  for (const it of items) {
    const content = available[it.key];
    if (content === undefined) {
      if (optional) continue;
      throw new Error(
        `${kind} references non-existent ${kind === 'secret' ? 'secret' : 'config'} key: ${it.key}`,
      );
    }
    out.push({ path: it.path, content, mode: it.mode ?? mode });
  }
  return out;
}

function secretData(s: V1Secret): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(s.data ?? {}))
    out[k] = Buffer.from(v, 'base64');
  for (const [k, v] of Object.entries(s.stringData ?? {}))
    out[k] = Buffer.from(v);
  return out;
}

function configMapData(cm: V1ConfigMap): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(cm.data ?? {})) out[k] = Buffer.from(v);
  for (const [k, v] of Object.entries(cm.binaryData ?? {}))
    out[k] = Buffer.from(v, 'base64');
  return out;
}

function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map(k => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

function downwardFile(
  pod: V1Pod,
  item: V1DownwardAPIVolumeFile,
  mode: number,
  podIP: string,
  hostIP: string,
): Projection {
  let value = '';
  const fp = item.fieldRef?.fieldPath;
  if (fp === 'metadata.labels') value = formatMap(pod.metadata?.labels);
  else if (fp === 'metadata.annotations')
    value = formatMap(pod.metadata?.annotations);
  else if (fp) {
    const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fp);
    const simple: Record<string, string | undefined> = {
      'metadata.name': pod.metadata?.name,
      'metadata.namespace': pod.metadata?.namespace,
      'metadata.uid': pod.metadata?.uid,
      'spec.nodeName': pod.spec?.nodeName,
      'spec.serviceAccountName': pod.spec?.serviceAccountName,
      'status.podIP': podIP,
      'status.hostIP': hostIP,
    };
    if (m)
      value =
        (m[1] === 'labels'
          ? pod.metadata?.labels
          : pod.metadata?.annotations)?.[m[2]] ?? '';
    else value = simple[fp] ?? '';
  } else if (item.resourceFieldRef) {
    const c =
      pod.spec!.containers.find(
        x => x.name === item.resourceFieldRef!.containerName,
      ) ?? pod.spec!.containers[0];
    const [kind, res] = item.resourceFieldRef.resource.split('.', 2);
    value = String(
      (kind === 'limits' ? c.resources?.limits : c.resources?.requests)?.[
        res
      ] ?? '',
    );
  }
  return {
    path: item.path,
    content: Buffer.from(value),
    mode: item.mode ?? mode,
  };
}

export interface PrepareContext {
  pod: V1Pod;
  /** this pod's directory under the kubelet's dataDir */
  podDir: string;
  podIP: string;
  hostIP: string;
  src: VolumeSources;
}

async function projectedFiles(
  v: V1Volume,
  ctx: PrepareContext,
): Promise<Projection[] | undefined> {
  const ns = ctx.pod.metadata!.namespace!;
  if (v.secret) {
    const mode = v.secret.defaultMode ?? DEFAULT_MODE;
    const s = await ctx.src.secret(ns, v.secret.secretName!);
    if (!s) {
      if (v.secret.optional) return [];
      throw new Error(`secret "${v.secret.secretName}" not found`);
    }
    return selectKeys(
      secretData(s),
      v.secret.items,
      mode,
      'secret',
      !!v.secret.optional,
    );
  }
  if (v.configMap) {
    const mode = v.configMap.defaultMode ?? DEFAULT_MODE;
    const cm = await ctx.src.configMap(ns, v.configMap.name!);
    if (!cm) {
      if (v.configMap.optional) return [];
      throw new Error(`configmap "${v.configMap.name}" not found`);
    }
    return selectKeys(
      configMapData(cm),
      v.configMap.items,
      mode,
      'configmap',
      !!v.configMap.optional,
    );
  }
  if (v.downwardAPI) {
    const mode = v.downwardAPI.defaultMode ?? DEFAULT_MODE;
    return (v.downwardAPI.items ?? []).map(i =>
      downwardFile(ctx.pod, i, mode, ctx.podIP, ctx.hostIP),
    );
  }
  if (v.projected) {
    const mode = v.projected.defaultMode ?? DEFAULT_MODE;
    const out: Projection[] = [];
    for (const source of v.projected.sources ?? []) {
      // serviceAccountToken sources are skipped: kube-sim does not mint bound tokens.
      if (source.secret) {
        out.push(
          ...((await projectedFiles(
            {
              name: v.name,
              secret: {
                ...source.secret,
                secretName: source.secret.name,
                defaultMode: mode,
              },
            },
            ctx,
          )) ?? []),
        );
      } else if (source.configMap) {
        out.push(
          ...((await projectedFiles(
            {
              name: v.name,
              configMap: { ...source.configMap, defaultMode: mode },
            },
            ctx,
          )) ?? []),
        );
      } else if (source.downwardAPI) {
        out.push(
          ...(source.downwardAPI.items ?? []).map(i =>
            downwardFile(ctx.pod, i, mode, ctx.podIP, ctx.hostIP),
          ),
        );
      }
    }
    return out;
  }
  return undefined;
}

/** The volume plugin whose folder holds a projected-style volume's files. */
function projectionPlugin(v: V1Volume): string {
  if (v.secret) return 'secret';
  if (v.configMap) return 'configmap';
  if (v.downwardAPI) return 'downward-api';
  return 'projected';
}

async function pvcPath(v: V1Volume, ctx: PrepareContext): Promise<string> {
  const ns = ctx.pod.metadata!.namespace!;
  const claimName = v.persistentVolumeClaim!.claimName;
  const pvc = await ctx.src.pvc(ns, claimName);
  if (!pvc) throw new Error(`persistentvolumeclaim "${claimName}" not found`);
  if (pvc.metadata?.deletionTimestamp)
    throw new Error(`persistentvolumeclaim "${claimName}" is being deleted`);
  if (pvc.status?.phase !== 'Bound' || !pvc.spec?.volumeName) {
    throw new Error(
      `PVC ${ns}/${claimName} has non-bound phase ("${pvc.status?.phase ?? 'Pending'}")`,
    );
  }
  const pv = await ctx.src.pv(pvc.spec.volumeName);
  if (!pv)
    throw new Error(`persistentvolume "${pvc.spec.volumeName}" not found`);
  const ref = pv.spec?.claimRef;
  if (
    !ref ||
    ref.name !== claimName ||
    ref.namespace !== ns ||
    (ref.uid && ref.uid !== pvc.metadata?.uid)
  ) {
    throw new Error(
      `PersistentVolume "${pv.metadata?.name}" is not bound to claim ${ns}/${claimName}`,
    );
  }
  const dir = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
  if (!dir)
    throw new Error(
      `PersistentVolume "${pv.metadata?.name}" has no hostPath or local path kube-sim can mount`,
    );
  if (!(await isDir(dir)))
    throw new Error(
      `path "${dir}" of PersistentVolume "${pv.metadata?.name}" does not exist`,
    );
  return dir;
}

/** Sets up every volume of the pod; throws MountError for the first that is not ready. */
export async function prepareVolumes(
  ctx: PrepareContext,
): Promise<Map<string, PreparedVolume>> {
  const out = new Map<string, PreparedVolume>();
  const fsGroup = ctx.pod.spec?.securityContext?.fsGroup;
  const policy = ctx.pod.spec?.securityContext?.fsGroupChangePolicy;
  for (const v of ctx.pod.spec?.volumes ?? []) {
    try {
      if (v.persistentVolumeClaim) {
        const dir = await pvcPath(v, ctx);
        const readOnly = !!v.persistentVolumeClaim.readOnly;
        // The hostPath plugin itself ignores fsGroup; kube-sim's PVs stand in for CSI/local volumes,
        // which apply it, so it is applied here.
        if (fsGroup !== undefined && !readOnly)
          await setVolumeOwnership(dir, fsGroup, false, policy);
        out.set(v.name, { hostPath: dir, readOnly });
      } else if (v.emptyDir) {
        const dir = path.join(
          ctx.podDir,
          'volumes',
          'kubernetes.io~empty-dir',
          v.name,
        );
        await fs.mkdir(dir, { recursive: true });
        await fs.chmod(dir, 0o777);
        if (fsGroup !== undefined)
          await setVolumeOwnership(dir, fsGroup, false, policy);
        out.set(v.name, { hostPath: dir, readOnly: false });
      } else if (v.hostPath) {
        const p = v.hostPath.path;
        if (v.hostPath.type === 'DirectoryOrCreate')
          await fs.mkdir(p, { recursive: true, mode: 0o755 });
        else if (
          !(await fs.stat(p).then(
            () => true,
            () => false,
          ))
        )
          throw new Error(`hostPath type check failed: ${p} does not exist`);
        out.set(v.name, { hostPath: p, readOnly: false });
      } else {
        const plugin = projectionPlugin(v);
        const files = await projectedFiles(v, ctx);
        if (files === undefined)
          throw new Error('volume type not supported by kube-sim');
        const dir = path.join(
          ctx.podDir,
          'volumes',
          `kubernetes.io~${plugin}`,
          v.name,
        );
        await writeProjection(dir, files);
        if (fsGroup !== undefined)
          await setVolumeOwnership(dir, fsGroup, true, undefined);
        out.set(v.name, { hostPath: dir, readOnly: true });
      }
    } catch (e) {
      throw new MountError(v.name, (e as Error).message);
    }
  }
  return out;
}
