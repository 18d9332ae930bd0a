import { randomBytes } from 'node:crypto';
import {
  CoreV1Api,
  type V1PersistentVolumeClaim,
} from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { batchSpecs } from '../batch';
import { httpStatus, withRetry } from '../clusters';
import { isDnsLabel } from '../naming';
import type { Clusters } from './clusters';
import { UsageError } from './exitCodes';
import {
  parseLabels,
  parsePairs,
  transferOptions,
  type EngineFlags,
} from './flags';

export interface Targets {
  /** the id of this run: the transfer id, or the batch id every transfer id is derived from */
  runId: string;
  batch: boolean;
  specs: TransferSpec[];
}

export function newRunId(): string {
  return `cli-${randomBytes(4).toString('hex')}`;
}

async function readPvc(
  c: Clusters,
  namespace: string,
  name: string,
): Promise<V1PersistentVolumeClaim | undefined> {
  try {
    return await withRetry(() =>
      c.source.kc
        .makeApiClient(CoreV1Api)
        .readNamespacedPersistentVolumeClaim({ namespace, name }),
    );
  } catch (e) {
    if (httpStatus(e) === 404) return undefined;
    throw e;
  }
}

/** false only when the cluster says the namespace does not exist (a 403 means "cannot tell"). */
async function namespaceExists(
  kc: Clusters['source']['kc'],
  name: string,
): Promise<boolean> {
  try {
    await withRetry(() => kc.makeApiClient(CoreV1Api).readNamespace({ name }));
    return true;
  } catch (e) {
    if (httpStatus(e) === 404) return false;
    if (httpStatus(e) === 403) return true;
    throw e;
  }
}

function storageClassFor(
  f: EngineFlags,
  map: Record<string, string>,
  pvc: V1PersistentVolumeClaim,
): string | undefined {
  if (f.storageClass) return f.storageClass;
  const cls = pvc.spec?.storageClassName;
  return cls ? map[cls] : undefined;
}

/**
 * From `namespace/pvc` or `--all -n ns...` to transfer specs, checking what the user named exists before
 * anything is planned or created: a typo is a usage error, not a failed transfer.
 */
export async function resolveTargets(
  f: EngineFlags,
  target: string | undefined,
  c: Clusters,
): Promise<Targets> {
  if (f.id !== undefined && !isDnsLabel(f.id))
    throw new UsageError(
      `--id "${f.id}" is not a DNS label (lowercase letters, digits, '-')`,
    );
  if (f.storageClass && f.storageClassMap.length)
    throw new UsageError(
      '--storage-class and --storage-class-map exclude each other',
    );
  const classMap = parsePairs('--storage-class-map', f.storageClassMap);
  const options = transferOptions(f);
  const runId = f.id ?? newRunId();
  if (f.all) return resolveBatch(f, target, c, runId, classMap, options);
  if (!target)
    throw new UsageError(
      'name a PVC as <namespace>/<pvc>, or use --all -n <namespace>',
    );
  if (f.namespace.length)
    throw new UsageError(
      '-n/--namespace selects namespaces for --all; for one PVC write <namespace>/<pvc>',
    );
  if (f.namespaceMap.length)
    throw new UsageError(
      '--namespace-map is for --all; for one PVC use --destination-namespace',
    );
  const m = /^([^/]+)\/([^/]+)$/.exec(target);
  if (!m) throw new UsageError(`"${target}" is not <namespace>/<pvc>`);
  const [, namespace, name] = m;
  const pvc = await readPvc(c, namespace, name);
  if (!pvc)
    throw new UsageError(
      `PVC ${namespace}/${name} not found in context "${c.source.context}"`,
    );
  const dstNamespace = f.destinationNamespace ?? namespace;
  if (!(await namespaceExists(c.destination.kc, dstNamespace))) {
    throw new UsageError(
      `destination namespace "${dstNamespace}" not found in context "${c.destination.context}"`,
    );
  }
  const spec: TransferSpec = {
    id: runId,
    source: { cluster: c.source.context, namespace, name },
    destination: {
      cluster: c.destination.context,
      namespace: dstNamespace,
      name: f.destinationName ?? name,
      ...(storageClassFor(f, classMap, pvc)
        ? { storageClassName: storageClassFor(f, classMap, pvc) }
        : {}),
      ...(f.size ? { size: f.size } : {}),
      ...(f.label.length ? { labels: parseLabels(f.label) } : {}),
    },
    mode: f.mode,
    intent: f.intent,
    options,
  };
  return { runId, batch: false, specs: [spec] };
}

async function resolveBatch(
  f: EngineFlags,
  target: string | undefined,
  c: Clusters,
  runId: string,
  classMap: Record<string, string>,
  options: EngineOptionsOf,
): Promise<Targets> {
  if (target)
    throw new UsageError(`--all takes namespaces with -n, not "${target}"`);
  if (!f.namespace.length)
    throw new UsageError('--all needs at least one -n <namespace>');
  if (f.destinationName)
    throw new UsageError(
      '--destination-name names one PVC; it cannot be used with --all',
    );
  if (f.destinationNamespace && f.namespace.length > 1) {
    throw new UsageError(
      '--destination-namespace with several -n would merge namespaces; use --namespace-map src=dst',
    );
  }
  if (f.destinationNamespace && f.namespaceMap.length)
    throw new UsageError(
      '--destination-namespace and --namespace-map exclude each other',
    );
  const map = parsePairs('--namespace-map', f.namespaceMap);
  for (const k of Object.keys(map))
    if (!f.namespace.includes(k))
      throw new UsageError(
        `--namespace-map names "${k}", which is not given with -n`,
      );
  const namespaces: Record<string, string> = {};
  for (const ns of f.namespace)
    namespaces[ns] = map[ns] ?? f.destinationNamespace ?? ns;
  const pvcs: V1PersistentVolumeClaim[] = [];
  for (const ns of f.namespace) {
    if (!(await namespaceExists(c.source.kc, ns)))
      throw new UsageError(
        `namespace "${ns}" not found in context "${c.source.context}"`,
      );
    if (!(await namespaceExists(c.destination.kc, namespaces[ns]))) {
      throw new UsageError(
        `destination namespace "${namespaces[ns]}" not found in context "${c.destination.context}"`,
      );
    }
    const list = await withRetry(() =>
      c.source.kc
        .makeApiClient(CoreV1Api)
        .listNamespacedPersistentVolumeClaim({ namespace: ns }),
    );
    pvcs.push(...list.items);
  }
  if (!pvcs.length)
    throw new UsageError(
      `no PVCs in namespace(s) ${f.namespace.join(', ')} of context "${c.source.context}"`,
    );
  const byKey = new Map(
    pvcs.map(p => [`${p.metadata!.namespace}/${p.metadata!.name}`, p]),
  );
  const specs = batchSpecs(
    {
      id: runId,
      sourceCluster: c.source.context,
      destinationCluster: c.destination.context,
      namespaces,
      mode: f.mode,
      intent: f.intent,
      options,
    },
    pvcs.map(p => ({
      namespace: p.metadata!.namespace!,
      name: p.metadata!.name!,
    })),
  ).map(s => {
    const cls = storageClassFor(
      f,
      classMap,
      byKey.get(`${s.source.namespace}/${s.source.name}`)!,
    );
    return {
      ...s,
      destination: {
        ...s.destination,
        ...(cls ? { storageClassName: cls } : {}),
        ...(f.size ? { size: f.size } : {}),
        ...(f.label.length ? { labels: parseLabels(f.label) } : {}),
      },
    };
  });
  return { runId, batch: true, specs };
}

type EngineOptionsOf = ReturnType<typeof transferOptions>;
