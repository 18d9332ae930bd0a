import type {
  V1ConfigMap,
  V1Container,
  V1Pod,
  V1Secret,
  V1Service,
} from '@kubernetes/client-node';
import { expand } from './expand';
import { serviceEnv } from './serviceEnv';

/** What the env builder needs from the API; the kubelet reads these through the public API. */
export interface EnvSources {
  configMap(namespace: string, name: string): Promise<V1ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<V1Secret | undefined>;
  /** the Services of the pod's namespace (for service links) */
  services(namespace: string): Promise<V1Service[]>;
  /** the `kubernetes` Service of `default`, or where to find the API server if it does not exist */
  masterService(): Promise<V1Service | undefined>;
}

export interface RuntimeFacts {
  podIP: string;
  hostIP: string;
  /** node allocatable, used when a resourceFieldRef names an unset limit */
  nodeAllocatable: Record<string, string>;
}

/** Failing here is a CreateContainerConfigError, as in the kubelet. */
export class ContainerConfigError extends Error {}

// Kubernetes accepts C identifiers and, since 1.26ish, most printable characters; envFrom keys that are
// not valid names are skipped with an event in the real kubelet. We accept what the API server accepts.
const VALID_ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function fieldRef(pod: V1Pod, path: string, facts: RuntimeFacts): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m)
    return (
      (m[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations)?.[
        m[2]
      ] ?? ''
    );
  switch (path) {
    case 'metadata.name':
      return pod.metadata?.name ?? '';
    case 'metadata.namespace':
      return pod.metadata?.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata?.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return facts.podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return facts.hostIP;
    default:
      throw new ContainerConfigError(
        `unsupported fieldRef fieldPath ${JSON.stringify(path)}`,
      );
  }
}

/** Quantity → number in base units (cores for cpu, bytes for memory), enough for downward API use. */
export function parseQuantity(q: string): number {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) throw new ContainerConfigError(`invalid quantity ${q}`);
  const n = Number(m[1]);
  const mult: Record<string, number> = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
  };
  if (!(m[2] in mult))
    throw new ContainerConfigError(`invalid quantity suffix ${q}`);
  return n * mult[m[2]];
}

function resourceFieldRef(
  c: V1Container,
  ref: { resource: string; divisor?: string },
  facts: RuntimeFacts,
): string {
  const [kind, res] = ref.resource.split('.', 2);
  const set = kind === 'limits' ? c.resources?.limits : c.resources?.requests;
  let value = set?.[res];
  // Unset limits read as node allocatable; unset requests as 0 (or the limit), as the kubelet does.
  if (value === undefined)
    value =
      kind === 'limits'
        ? facts.nodeAllocatable[res]
        : (c.resources?.limits?.[res] ?? '0');
  const divisor = parseQuantity(ref.divisor ?? '1');
  return String(
    Math.ceil(parseQuantity(String(value ?? '0')) / (divisor || 1)),
  );
}

function decode(secret: V1Secret, key: string): string | undefined {
  const v = secret.data?.[key];
  if (v !== undefined) return Buffer.from(v, 'base64').toString('utf8');
  return secret.stringData?.[key];
}

/**
 * The container's environment in the kubelet's order: service links, then envFrom, then env (each value
 * expanded against what is defined before it), with later definitions winning.
 */
export async function containerEnv(
  pod: V1Pod,
  c: V1Container,
  facts: RuntimeFacts,
  src: EnvSources,
): Promise<Record<string, string>> {
  const ns = pod.metadata!.namespace!;
  const svcEnv: Record<string, string> = {};
  if (pod.spec?.enableServiceLinks !== false)
    Object.assign(svcEnv, serviceEnv(await src.services(ns)));
  const master = await src.masterService();
  if (master)
    Object.assign(
      svcEnv,
      serviceEnv([{ ...master, metadata: { name: 'kubernetes' } }]),
    );

  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = await src.configMap(ns, from.configMapRef.name!);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(
          `configmap "${from.configMapRef.name}" not found`,
        );
      }
      for (const [k, v] of Object.entries(cm.data ?? {}))
        if (VALID_ENV_NAME.test(prefix + k)) env[prefix + k] = v;
    } else if (from.secretRef) {
      const s = await src.secret(ns, from.secretRef.name!);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(
          `secret "${from.secretRef.name}" not found`,
        );
      }
      for (const k of Object.keys(s.data ?? {}))
        if (VALID_ENV_NAME.test(prefix + k)) env[prefix + k] = decode(s, k)!;
    }
  }

  const lookup = (name: string) => env[name] ?? svcEnv[name];
  for (const e of c.env ?? []) {
    if (e.valueFrom === undefined) {
      env[e.name] = expand(e.value ?? '', lookup);
      continue;
    }
    const vf = e.valueFrom;
    if (vf.fieldRef) env[e.name] = fieldRef(pod, vf.fieldRef.fieldPath, facts);
    else if (vf.resourceFieldRef) {
      const target = vf.resourceFieldRef.containerName
        ? (pod.spec!.containers.find(
            x => x.name === vf.resourceFieldRef!.containerName,
          ) ?? c)
        : c;
      env[e.name] = resourceFieldRef(
        target,
        vf.resourceFieldRef as { resource: string; divisor?: string },
        facts,
      );
    } else if (vf.configMapKeyRef) {
      const ref = vf.configMapKeyRef;
      const cm = await src.configMap(ns, ref.name!);
      const v = cm?.data?.[ref.key];
      if (v !== undefined) env[e.name] = v;
      else if (!ref.optional) {
        throw new ContainerConfigError(
          cm
            ? `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}`
            : `configmap "${ref.name}" not found`,
        );
      }
    } else if (vf.secretKeyRef) {
      const ref = vf.secretKeyRef;
      const s = await src.secret(ns, ref.name!);
      const v = s ? decode(s, ref.key) : undefined;
      if (v !== undefined) env[e.name] = v;
      else if (!ref.optional) {
        throw new ContainerConfigError(
          s
            ? `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}`
            : `secret "${ref.name}" not found`,
        );
      }
    }
  }
  return { ...svcEnv, ...env };
}
