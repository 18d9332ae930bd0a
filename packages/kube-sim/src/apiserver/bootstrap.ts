/**
 * What a fresh cluster has before anyone writes: the system namespaces (each with its default service
 * account), the default RBAC roles and bindings, and the default/kubernetes Service pointing at the API
 * server, which takes the first address of the service range as on a real cluster.
 */
import type { AddressPlan } from '../contracts';
import { bootstrapRbac } from './auth/bootstrap';
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
  createObject(api, api.registry.lookup('', 'v1', 'endpoints')!, {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    },
    subsets: [
      {
        addresses: [{ ip: address.nodeIP }],
        ports: [{ name: 'https', port, protocol: 'TCP' }],
      },
    ],
  });
}
