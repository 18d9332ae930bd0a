import type {
  V1Endpoints,
  V1Service,
  V1ServicePort,
} from '@kubernetes/client-node';
import { isLoopback } from '../address/addressPlan';

export interface Backend {
  host: string;
  port: number;
}

/**
 * The ready endpoints of one Service port. The Endpoints controller names each endpoint port after the
 * Service port it serves (unnamed when the Service has a single unnamed port) and resolves targetPort to a
 * number, so the match is by name, as kube-proxy does. Only loopback addresses are returned: kube-sim
 * never forwards anywhere else.
 */
export function endpointsForServicePort(
  endpoints: V1Endpoints | undefined,
  servicePort: V1ServicePort,
): Backend[] {
  const name = servicePort.name ?? '';
  const protocol = servicePort.protocol ?? 'TCP';
  const out: Backend[] = [];
  for (const subset of endpoints?.subsets ?? []) {
    const port = (subset.ports ?? []).find(
      p => (p.name ?? '') === name && (p.protocol ?? 'TCP') === protocol,
    );
    if (!port) continue;
    for (const address of subset.addresses ?? []) {
      if (isLoopback(address.ip))
        out.push({ host: address.ip, port: port.port });
    }
  }
  return out;
}

/** Every ready endpoint whose port matches a predicate on the endpoint port (name, number). */
export function endpointsWhere(
  endpoints: V1Endpoints | undefined,
  match: (port: { name: string; port: number; protocol: string }) => boolean,
): Backend[] {
  const out: Backend[] = [];
  for (const subset of endpoints?.subsets ?? []) {
    const port = (subset.ports ?? []).find(p =>
      match({
        name: p.name ?? '',
        port: p.port,
        protocol: p.protocol ?? 'TCP',
      }),
    );
    if (!port) continue;
    for (const address of subset.addresses ?? []) {
      if (isLoopback(address.ip))
        out.push({ host: address.ip, port: port.port });
    }
  }
  return out;
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
