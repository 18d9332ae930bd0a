import { isPodReady } from '../workloads/pods';
import type { EndpointSlice, Pod, Service } from '../kube/types';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** the controller's --max-endpoints-per-slice default */
export const MAX_ENDPOINTS_PER_SLICE = 100;

type ServicePort = NonNullable<NonNullable<Service['spec']>['ports']>[number];
export type SlicePort = NonNullable<EndpointSlice['ports']>[number];
export type SliceEndpoint = EndpointSlice['endpoints'][number];

/** What one EndpointSlice of a Service holds; the controller adds the object around it. */
export interface SliceContent {
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

/** An empty selector is none: the Service's users write its slices. */
export function hasSelector(service: {
  spec?: { selector?: object };
}): boolean {
  return Object.keys(service.spec?.selector ?? {}).length > 0;
}

/** A Service port's targetPort on one pod: a number, or the pod's container port of that name. */
export function resolveTargetPort(
  svcPort: ServicePort,
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

/** Terminal pods and pods without an address are in no slice; terminating ones are, marked so. */
function belongsInSlices(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !!pod.status?.podIP && phase !== 'Succeeded' && phase !== 'Failed';
}

function portsFor(svc: Service, pod: Pod): SlicePort[] {
  const out: SlicePort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = resolveTargetPort(sp, pod);
    if (port === undefined) continue;
    out.push({
      name: sp.name ?? '',
      port,
      protocol: sp.protocol ?? 'TCP',
      ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
    });
  }
  return out;
}

/**
 * The endpoint of one pod, with the conditions the real controller computes: `serving` is readiness,
 * `ready` is readiness of a pod not terminating, and publishNotReadyAddresses makes both true.
 */
export function endpointFor(svc: Service, pod: Pod): SliceEndpoint {
  const publish = svc.spec?.publishNotReadyAddresses ?? false;
  const terminating = !!pod.metadata?.deletionTimestamp;
  const serving = publish || isPodReady(pod);
  const namedAfterPod =
    !!pod.spec?.hostname && pod.spec?.subdomain === svc.metadata?.name;
  return {
    addresses: [pod.status!.podIP!],
    conditions: {
      ready: publish || (serving && !terminating),
      serving,
      terminating,
    },
    ...(namedAfterPod ? { hostname: pod.spec!.hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata?.namespace,
      name: pod.metadata?.name,
      uid: pod.metadata?.uid,
    },
  };
}

const byAddress = (a: SliceEndpoint, b: SliceEndpoint) =>
  a.addresses[0].localeCompare(b.addresses[0], 'en', { numeric: true });

/**
 * The slices of a Service selecting these pods: one per distinct set of resolved ports (a named
 * targetPort may resolve differently per pod), at most MAX_ENDPOINTS_PER_SLICE endpoints each, in a
 * stable order. No pods: one empty slice, as the real controller's placeholder.
 */
export function desiredSlices(svc: Service, pods: Pod[]): SliceContent[] {
  const groups = new Map<string, SliceContent>();
  for (const pod of pods.filter(belongsInSlices)) {
    const ports = portsFor(svc, pod);
    const id = JSON.stringify(ports);
    const group = groups.get(id) ?? { ports, endpoints: [] };
    groups.set(id, group);
    group.endpoints.push(endpointFor(svc, pod));
  }
  const slices: SliceContent[] = [];
  for (const [, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    group.endpoints.sort(byAddress);
    for (let i = 0; i < group.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE)
      slices.push({
        ports: group.ports,
        endpoints: group.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE),
      });
  }
  return slices.length ? slices : [{ ports: [], endpoints: [] }];
}

/** The labels of a Service's slices: its own, and the ones that tie the slice to it and to us. */
export function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = {
    ...svc.metadata?.labels,
    [SERVICE_NAME_LABEL]: svc.metadata!.name!,
    [MANAGED_BY_LABEL]: CONTROLLER_NAME,
  };
  if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return labels;
}

/** A slice's generateName: the Service's name, cut so that the name with its suffix stays valid. */
export function slicePrefix(serviceName: string): string {
  return `${serviceName.slice(0, 57)}-`;
}
