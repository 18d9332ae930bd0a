import { isPodReady } from '../workloads/pods';
import type { EndpointSubset, Pod, Service } from '../kube/types';

type Port = {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
};

/** A Service port's targetPort on one pod: a number, or the pod's container port of that name. */
export function resolveTargetPort(
  svcPort: NonNullable<NonNullable<Service['spec']>['ports']>[number],
  pod: Pod,
): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? [])
      if (
        p.name === target &&
        (p.protocol ?? 'TCP') === (svcPort.protocol ?? 'TCP')
      )
        return p.containerPort;
  }
  return undefined;
}

/**
 * The subsets of a Service's Endpoints (the endpoints controller upstream): every pod with an IP that
 * is not terminating, ready ones under addresses and the others under notReadyAddresses (all ready with
 * publishNotReadyAddresses), grouped by identical resolved port lists and sorted for stable comparison.
 */
export function computeSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const groups = new Map<
    string,
    { ports: Port[]; ready: Pod[]; notReady: Pod[] }
  >();
  const publishAll = svc.spec?.publishNotReadyAddresses ?? false;
  for (const pod of pods) {
    if (!pod.status?.podIP) continue;
    if (pod.metadata?.deletionTimestamp && !publishAll) continue;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed')
      continue;
    const ports: Port[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = resolveTargetPort(sp, pod);
      if (port === undefined) continue;
      ports.push({
        name: sp.name,
        port,
        protocol: sp.protocol ?? 'TCP',
        ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
      });
    }
    if ((svc.spec?.ports?.length ?? 0) > 0 && ports.length === 0) continue;
    ports.sort(
      (a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port,
    );
    const id = JSON.stringify(ports);
    const g = groups.get(id) ?? { ports, ready: [], notReady: [] };
    groups.set(id, g);
    if (publishAll || isPodReady(pod)) g.ready.push(pod);
    else g.notReady.push(pod);
  }
  const address = (p: Pod) => ({
    ip: p.status?.podIP as string,
    ...(p.spec?.hostname ? { hostname: p.spec.hostname } : {}),
    ...(p.spec?.nodeName ? { nodeName: p.spec.nodeName } : {}),
    targetRef: {
      kind: 'Pod',
      namespace: p.metadata?.namespace,
      name: p.metadata?.name,
      uid: p.metadata?.uid,
    },
  });
  const byIp = (a: { ip: string }, b: { ip: string }) =>
    a.ip.localeCompare(b.ip, 'en', { numeric: true });
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => {
      const s: EndpointSubset = { ports: g.ports.length ? g.ports : undefined };
      if (g.ready.length) s.addresses = g.ready.map(address).sort(byIp);
      if (g.notReady.length)
        s.notReadyAddresses = g.notReady.map(address).sort(byIp);
      return s;
    });
}
