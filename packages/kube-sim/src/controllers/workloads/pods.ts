import type {
  KubeObject,
  OwnerReference,
  Pod,
  PodTemplateSpec,
} from '../kube/types';

/** The ownerReference a workload controller puts on what it creates (controller=true, blocks foreground deletion). */
export function controllerRefTo(
  owner: KubeObject,
  apiVersion: string,
  kind: string,
): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata?.name as string,
    uid: owner.metadata?.uid as string,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find(r => r.controller);
}

export function isOwnedBy(obj: KubeObject, owner: KubeObject): boolean {
  return controllerOf(obj)?.uid === owner.metadata?.uid;
}

/** A pod that counts toward a workload's replicas: not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return (
    pod.status?.phase !== 'Succeeded' &&
    pod.status?.phase !== 'Failed' &&
    !pod.metadata?.deletionTimestamp
  );
}

export function isPodReady(pod: Pod): boolean {
  return (
    pod.status?.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    ) ?? false
  );
}

/** Ready for at least minReadySeconds (by the Ready condition's transition time), as upstream. */
export function isPodAvailable(
  pod: Pod,
  minReadySeconds: number,
  now = Date.now(),
): boolean {
  const ready = pod.status?.conditions?.find(
    c => c.type === 'Ready' && c.status === 'True',
  );
  if (!ready) return false;
  if (!minReadySeconds) return true;
  const since = ready.lastTransitionTime
    ? Date.parse(ready.lastTransitionTime)
    : NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= now;
}

/** A pod built from a workload's template, the way the workload controllers' PodControl does it. */
export function podFromTemplate(
  template: PodTemplateSpec | undefined,
  owner: OwnerReference,
  namespace: string,
  naming: { name?: string; generateName?: string },
  extraLabels: Record<string, string> = {},
): Pod {
  const md = template?.metadata ?? {};
  return {
    metadata: {
      ...naming,
      namespace,
      labels: { ...md.labels, ...extraLabels },
      annotations: md.annotations ? { ...md.annotations } : undefined,
      finalizers: md.finalizers,
      ownerReferences: [owner],
    },
    spec: structuredClone(template?.spec) ?? { containers: [] },
  };
}

function phaseRank(phase: string | undefined): number {
  if (phase === 'Pending') return 0;
  if (phase === 'Unknown') return 1;
  return 2;
}

/**
 * Order in which surplus pods are deleted (ActivePods sort upstream): unscheduled before scheduled,
 * pending before running, not ready before ready, newer before older.
 */
export function deletionOrder(a: Pod, b: Pod): number {
  const rank = (p: Pod) => [
    p.spec?.nodeName ? 1 : 0,
    phaseRank(p.status?.phase),
    isPodReady(p) ? 1 : 0,
  ];
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
  return (
    Date.parse(b.metadata?.creationTimestamp ?? '0') -
    Date.parse(a.metadata?.creationTimestamp ?? '0')
  );
}

export function setCondition<
  T extends {
    type: string;
    status: string;
    reason?: string;
    message?: string;
    lastTransitionTime?: string;
    lastUpdateTime?: string;
  },
>(conditions: T[] | undefined, next: T, now: string): T[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex(c => c.type === next.type);
  const prior = i >= 0 ? list[i] : undefined;
  if (
    prior &&
    prior.status === next.status &&
    prior.reason === next.reason &&
    prior.message === next.message
  )
    return list;
  const merged = {
    ...next,
    lastTransitionTime:
      prior && prior.status === next.status ? prior.lastTransitionTime : now,
    ...('lastUpdateTime' in next || prior?.lastUpdateTime
      ? { lastUpdateTime: now }
      : {}),
  };
  if (i >= 0) list[i] = merged;
  else list.push(merged);
  return list;
}
