/**
 * What one object uses of a ResourceQuota, per resource (the evaluators of pkg/quota/v1/evaluator/core and
 * the generic object-count evaluator). `resource` is the stored resource key: `pods`, `deployments.apps`.
 */
import {
  add,
  count,
  parseResourceList,
  type ResourceList,
} from './resourceList';

// Kubernetes objects are open JSON documents.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type KObject = Record<string, any>;

/** Resources counted under their bare name besides `count/<resource>` (the legacy object counts). */
const LEGACY_COUNTS = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
]);

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
const CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** The compute resources a pod quota may name; `cpu` and `memory` are the old names of the requests. */
export const POD_COMPUTE = [
  'cpu',
  'memory',
  'requests.cpu',
  'requests.memory',
  'limits.cpu',
  'limits.memory',
];

/** Whether a quota's hard resource `name` is something objects of `resource` are counted against. */
export function counts(resource: string, name: string): boolean {
  if (name === `count/${resource}`) return true;
  if (LEGACY_COUNTS.has(resource) && name === resource) return true;
  if (resource === 'pods') return POD_COMPUTE.includes(name);
  if (resource === 'persistentvolumeclaims')
    return (
      name === 'requests.storage' ||
      (name.includes(STORAGE_CLASS_SUFFIX) &&
        ['requests.storage', 'persistentvolumeclaims'].includes(
          name.split(STORAGE_CLASS_SUFFIX)[1],
        ))
    );
  if (resource === 'services')
    return name === 'services.loadbalancers' || name === 'services.nodeports';
  return false;
}

/** Pods that have finished (or whose deletion grace has run out) hold no compute resources. */
export function isTerminal(pod: KObject, now = Date.now()): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return true;
  const deleted = pod.metadata?.deletionTimestamp;
  if (!deleted) return false;
  const grace = (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
  return Date.parse(deleted) + grace < now;
}

/** max(sum of the containers, each init container) plus the overhead, as resourcehelper.PodRequests. */
function podTotal(pod: KObject, kind: 'requests' | 'limits'): ResourceList {
  let sum: ResourceList = {};
  for (const c of pod.spec?.containers ?? [])
    sum = add(sum, parseResourceList(c.resources?.[kind]));
  for (const c of pod.spec?.initContainers ?? []) {
    const init = parseResourceList(c.resources?.[kind]);
    for (const [k, v] of Object.entries(init))
      if (!sum[k] || sum[k].nanos < v.nanos) sum[k] = v;
  }
  return add(sum, parseResourceList(pod.spec?.overhead));
}

function podUsage(pod: KObject, now: number): ResourceList {
  const usage: ResourceList = { 'count/pods': count(1) };
  if (isTerminal(pod, now)) return usage;
  usage.pods = count(1);
  const requests = podTotal(pod, 'requests');
  const limits = podTotal(pod, 'limits');
  for (const r of ['cpu', 'memory']) {
    if (requests[r]) {
      usage[r] = requests[r];
      usage[`requests.${r}`] = requests[r];
    }
    if (limits[r]) usage[`limits.${r}`] = limits[r];
  }
  return usage;
}

export function storageClassOf(claim: KObject): string {
  return (
    claim.metadata?.annotations?.[CLASS_ANNOTATION] ??
    claim.spec?.storageClassName ??
    ''
  );
}

function claimUsage(claim: KObject): ResourceList {
  const usage: ResourceList = {
    'count/persistentvolumeclaims': count(1),
    persistentvolumeclaims: count(1),
  };
  const storage = parseResourceList(claim.spec?.resources?.requests).storage;
  const cls = storageClassOf(claim);
  if (cls)
    usage[`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`] = count(1);
  if (storage) {
    usage['requests.storage'] = storage;
    if (cls) usage[`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`] = storage;
  }
  return usage;
}

function serviceUsage(svc: KObject): ResourceList {
  const usage: ResourceList = {
    'count/services': count(1),
    services: count(1),
  };
  const type = svc.spec?.type;
  const ports = (svc.spec?.ports ?? []).length;
  if (type === 'LoadBalancer') {
    usage['services.loadbalancers'] = count(1);
    if (svc.spec?.allocateLoadBalancerNodePorts !== false)
      usage['services.nodeports'] = count(ports);
  } else if (type === 'NodePort') usage['services.nodeports'] = count(ports);
  return usage;
}

/** Everything `obj` is counted for; the caller masks it with the resources a quota names. */
export function usageOf(
  resource: string,
  obj: KObject,
  now = Date.now(),
): ResourceList {
  if (resource === 'pods') return podUsage(obj, now);
  if (resource === 'persistentvolumeclaims') return claimUsage(obj);
  if (resource === 'services') return serviceUsage(obj);
  const usage: ResourceList = { [`count/${resource}`]: count(1) };
  if (LEGACY_COUNTS.has(resource)) usage[resource] = count(1);
  return usage;
}

/**
 * The pod evaluator's Constraints: when a quota limits cpu or memory, every container must say how much
 * it asks for (a backward-compatibility rule of the real server). Returns the message, or undefined.
 */
export function missingComputeSpec(
  pod: KObject,
  restricted: string[],
): string | undefined {
  const required = restricted.filter(r => POD_COMPUTE.includes(r));
  const missing = new Map<string, Set<string>>();
  const containers = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []),
  ];
  for (const c of containers) {
    const has = podUsage({ spec: { containers: [c] } }, Date.now());
    for (const r of required) {
      if (has[r]) continue;
      if (!missing.has(r)) missing.set(r, new Set());
      missing.get(r)!.add(c.name);
    }
  }
  if (!missing.size) return undefined;
  const parts = [...missing.keys()]
    .sort()
    .map(r => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}
