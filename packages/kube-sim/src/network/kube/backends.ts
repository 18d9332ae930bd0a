import type { V1Service, V1ServicePort } from '@kubernetes/client-node';
import { isLoopback } from '../address/addressPlan';
import type { ServiceEndpoints } from './serviceEndpoints';

export interface Backend {
  host: string;
  port: number;
}

type SlicePort = { name: string; port: number; protocol: string };

/**
 * Every ready endpoint address of the slices whose port matches, at that port. An endpoint without a
 * ready condition counts as ready, as the EndpointSlice API says consumers must read "unknown". Only
 * loopback addresses are returned: kube-sim never forwards anywhere else.
 */
export function endpointsWhere(
  endpoints: ServiceEndpoints | undefined,
  match: (port: SlicePort) => boolean,
): Backend[] {
  const out: Backend[] = [];
  for (const slice of endpoints ?? []) {
    const port = slice.ports.find(p =>
      match({
        name: p.name ?? '',
        port: p.port ?? 0,
        protocol: p.protocol ?? 'TCP',
      }),
    );
    if (!port?.port) continue;
    for (const endpoint of slice.endpoints) {
      if (endpoint.conditions?.ready === false) continue;
      for (const ip of endpoint.addresses)
        if (isLoopback(ip)) out.push({ host: ip, port: port.port });
    }
  }
  return out;
}

/**
 * The ready endpoints of one Service port. The EndpointSlice controller names each slice port after the
 * Service port it serves (empty when the Service has a single unnamed port) and resolves targetPort to a
 * number, so the match is by name, as kube-proxy does.
 */
export function endpointsForServicePort(
  endpoints: ServiceEndpoints | undefined,
  servicePort: V1ServicePort,
): Backend[] {
  const name = servicePort.name ?? '';
  const protocol = servicePort.protocol ?? 'TCP';
  return endpointsWhere(
    endpoints,
    p => p.name === name && p.protocol === protocol,
  );
}

/** A Service port chosen by number (`port`) or by name, as an Ingress backend names it. */
export function findServicePort(
  service: V1Service | undefined,
  ref: { number?: number; name?: string },
): V1ServicePort | undefined {
  const ports = service?.spec?.ports ?? [];
  if (ref.name) return ports.find(p => p.name === ref.name);
  if (ref.number !== undefined) return ports.find(p => p.port === ref.number);
  return undefined;
}

export function isHeadless(service: V1Service): boolean {
  const ip = service.spec?.clusterIP;
  return !ip || ip === 'None';
}
