import type {
  V1Ingress,
  V1IngressClass,
  V1Service,
} from '@kubernetes/client-node';
import {
  Backend,
  endpointsForServicePort,
  endpointsWhere,
  findServicePort,
} from '../kube/backends';
import type { ServiceEndpoints } from '../kube/serviceEndpoints';
import { servedByNginx } from './ingressClass';

/** The subset of route.openshift.io/v1 Route the router reads and writes. */
export interface Route {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string | Date;
  };
  spec?: {
    host?: string;
    to?: { kind?: string; name?: string };
    port?: { targetPort?: number | string };
    tls?: { termination?: string };
  };
  status?: { ingress?: RouteIngress[] };
}

export interface RouteIngress {
  host?: string;
  routerName?: string;
  routerCanonicalHostname?: string;
  wildcardPolicy?: string;
  conditions?: Array<{
    type: string;
    status: string;
    reason?: string;
    message?: string;
    lastTransitionTime?: string;
  }>;
}

export const PASSTHROUGH_ANNOTATION =
  'nginx.ingress.kubernetes.io/ssl-passthrough';

/** Where the router sends the connections for one host; resolved per connection from the live caches. */
export interface HostTarget {
  kind: 'Route' | 'Ingress';
  namespace: string;
  name: string;
  serviceName: string;
  select(
    service: V1Service | undefined,
    endpoints: ServiceEndpoints | undefined,
  ): Backend[];
}

export interface RouteVerdict {
  host: string;
  admitted: boolean;
  reason?: string;
  message?: string;
}

export interface RouterTable {
  /** lower-case host → target, for passthrough routes and ingresses */
  hosts: Map<string, HostTarget>;
  /** per Route (namespace/name): what the router says about it in status.ingress */
  routes: Map<string, RouteVerdict>;
  /** every Ingress (namespace/name) of an ingress-nginx class; its status gets the router IP */
  ingresses: Set<string>;
  /** the names other clusters must resolve to this cluster's router */
  externalNames: string[];
}

function created(
  meta:
    | { creationTimestamp?: string | Date; name?: string; namespace?: string }
    | undefined,
): [number, string] {
  const t = meta?.creationTimestamp
    ? new Date(meta.creationTimestamp).getTime()
    : 0;
  return [Number.isFinite(t) ? t : 0, `${meta?.namespace}/${meta?.name}`];
}

/** oldest first, as the OpenShift router decides which route claims a host */
function byAge<T extends { metadata?: Route['metadata'] }>(a: T, b: T): number {
  const [ta, ka] = created(a.metadata);
  const [tb, kb] = created(b.metadata);
  return ta - tb || ka.localeCompare(kb);
}

export function routeHost(route: Route, routeDomain: string): string {
  const host =
    route.spec?.host ||
    `${route.metadata?.name}-${route.metadata?.namespace}.${routeDomain}`;
  return host.toLowerCase().replace(/\.$/, '');
}

/** A port given as a number or as a string of digits; undefined for a port name. */
function portNumber(port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  return /^\d+$/.test(port) ? Number(port) : undefined;
}

/**
 * Route spec.port.targetPort names the target port of the Service: a name matches the endpoint port of
 * that name, a number the endpoint port number (falling back to the Service port of that number); without
 * it, the first endpoint port is used. The router then connects to the endpoints directly.
 */
function routeSelector(
  targetPort: number | string | undefined,
): HostTarget['select'] {
  return (service, endpoints) => {
    if (targetPort === undefined || targetPort === '')
      return endpointsWhere(endpoints, () => true);
    const asNumber = portNumber(targetPort);
    if (asNumber === undefined)
      return endpointsWhere(endpoints, p => p.name === targetPort);
    const direct = endpointsWhere(endpoints, p => p.port === asNumber);
    if (direct.length) return direct;
    const servicePort = findServicePort(service, { number: asNumber });
    return servicePort ? endpointsForServicePort(endpoints, servicePort) : [];
  };
}

function ingressSelector(
  port: { number?: number; name?: string } | undefined,
): HostTarget['select'] {
  return (service, endpoints) => {
    const servicePort = findServicePort(service, port ?? {});
    return servicePort ? endpointsForServicePort(endpoints, servicePort) : [];
  };
}

export function buildRouterTable(
  routes: Route[],
  ingresses: V1Ingress[],
  ingressClasses: V1IngressClass[],
  routeDomain: string,
): RouterTable {
  const hosts = new Map<string, HostTarget>();
  const verdicts = new Map<string, RouteVerdict>();
  const served = new Set<string>();
  const external = new Set<string>();

  for (const route of [...routes].sort(byAge)) {
    const ns = route.metadata?.namespace ?? '';
    const name = route.metadata?.name ?? '';
    const key = `${ns}/${name}`;
    const host = routeHost(route, routeDomain);
    const owner = hosts.get(host);
    if (owner) {
      verdicts.set(key, {
        host,
        admitted: false,
        reason: 'HostAlreadyClaimed',
        message: `route ${owner.name} already exposes ${host} and is older`,
      });
      continue;
    }
    if (route.spec?.tls?.termination !== 'passthrough') {
      verdicts.set(key, {
        host,
        admitted: false,
        reason: 'UnsupportedTermination',
        message: "kube-sim's router serves TLS passthrough routes only",
      });
      continue;
    }
    if (
      (route.spec.to?.kind ?? 'Service') !== 'Service' ||
      !route.spec.to?.name
    ) {
      verdicts.set(key, {
        host,
        admitted: false,
        reason: 'InvalidTarget',
        message: 'spec.to must name a Service',
      });
      continue;
    }
    hosts.set(host, {
      kind: 'Route',
      namespace: ns,
      name,
      serviceName: route.spec.to.name,
      select: routeSelector(route.spec.port?.targetPort),
    });
    verdicts.set(key, { host, admitted: true });
    external.add(host);
  }

  for (const ingress of [...ingresses].sort(byAge)) {
    // another controller's Ingress: no status, no route, and no name to publish
    if (!servedByNginx(ingress, ingressClasses)) continue;
    const ns = ingress.metadata?.namespace ?? '';
    const name = ingress.metadata?.name ?? '';
    served.add(`${ns}/${name}`);
    const passthrough =
      ingress.metadata?.annotations?.[PASSTHROUGH_ANNOTATION] === 'true';
    for (const rule of ingress.spec?.rules ?? []) {
      if (!rule.host) continue;
      const host = rule.host.toLowerCase().replace(/\.$/, '');
      if (!host.includes('*')) external.add(host); // a hosts file cannot hold wildcards
      if (!passthrough || hosts.has(host)) continue;
      // with passthrough ingress-nginx cannot look at paths: the host's first backend takes everything
      const backend =
        rule.http?.paths?.[0]?.backend?.service ??
        ingress.spec?.defaultBackend?.service;
      if (!backend?.name) continue;
      hosts.set(host, {
        kind: 'Ingress',
        namespace: ns,
        name,
        serviceName: backend.name,
        select: ingressSelector(backend.port),
      });
    }
  }

  return {
    hosts,
    routes: verdicts,
    ingresses: served,
    externalNames: [...external].sort(),
  };
}
