/**
 * What a fresh cluster has before anyone writes: the system namespaces (each with its default service
 * account), the default RBAC roles and bindings, and the default/kubernetes Service pointing at the API
 * server, which takes the first address of the service range as on a real cluster, with its
 * EndpointSlice. No IngressClass: a real API server has none until an ingress controller is installed.
 */
import type { AddressPlan } from '../contracts';
import { bootstrapRbac } from './auth/bootstrap';
import type { KObject } from './registry/types';
import type { ApiContext } from './rest/context';
import { createObject } from './rest/create';

export function seedCluster(api: ApiContext): void {
  const namespaces = api.registry.lookup('', 'v1', 'namespaces')!;
  for (const name of [
    'default',
    'kube-system',
    'kube-public',
    'kube-node-lease',
  ])
    createObject(api, namespaces, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
  for (const obj of bootstrapRbac())
    createObject(api, api.registry.byKind(obj.apiVersion, obj.kind)!, obj);
}

/**
 * What the real API server's endpoint reconciler writes for itself (its EndpointsAdapter): a slice named
 * after the Service, labelled only with the service name, one ready endpoint per API server. The real one
 * also writes core/v1 Endpoints with the same address; here the address is a loopback one, which a real
 * server refuses in Endpoints, so only the slice exists.
 */
export function kubernetesEndpointSlice(ip: string, port: number): KObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'kubernetes.io/service-name': 'kubernetes' },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  };
}

export function seedKubernetesService(
  api: ApiContext,
  address: AddressPlan,
  port: number,
): void {
  createObject(api, api.registry.lookup('', 'v1', 'services')!, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      clusterIP: address.serviceRange.first,
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }],
    },
  });
  // A server refusing loopback slices stands in for a real one, whose address would not be loopback:
  // there the Service is left without endpoints rather than with an address it would refuse.
  if (!api.kindContext.endpointSliceRules.allowLoopback) return;
  createObject(
    api,
    api.registry.lookup('discovery.k8s.io', 'v1', 'endpointslices')!,
    kubernetesEndpointSlice(address.nodeIP, port),
  );
}
