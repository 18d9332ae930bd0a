/**
 * What a fresh cluster has before anyone writes: the system namespaces (each with its default service
 * account), the default RBAC roles and bindings, the IngressClass of the ingress-nginx every kube-sim
 * cluster runs (its router), and the default/kubernetes Service pointing at the API server, which takes
 * the first address of the service range as on a real cluster.
 */
import type { AddressPlan } from '../contracts';
import { DEFAULT_INGRESS_CLASS_ANNOTATION } from './admission/defaultingressclass';
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
  for (const obj of [...bootstrapRbac(), ingressNginxClass()])
    createObject(api, api.registry.byKind(obj.apiVersion, obj.kind)!, obj);
}

/**
 * The class the ingress-nginx Helm chart installs with `controller.ingressClassResource.default=true`:
 * the kube-sim router serves the Ingresses of classes with this controller, and Ingresses created
 * without a class get it through DefaultIngressClass admission.
 */
export function ingressNginxClass(): KObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name: 'nginx',
      labels: {
        'app.kubernetes.io/component': 'controller',
        'app.kubernetes.io/instance': 'ingress-nginx',
        'app.kubernetes.io/name': 'ingress-nginx',
        'app.kubernetes.io/part-of': 'ingress-nginx',
      },
      annotations: { [DEFAULT_INGRESS_CLASS_ANNOTATION]: 'true' },
    },
    spec: { controller: 'k8s.io/ingress-nginx' },
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
