import type { EndpointKind } from '@namespace-transfer/plugin-namespace-transfer-common';
import { clusterIpEndpoint } from './clusterip';
import { ingressEndpoint } from './ingress';
import { loadBalancerEndpoint } from './loadbalancer';
import { nodePortEndpoint } from './nodeport';
import { routeEndpoint } from './route';
import type { Endpoint } from './types';

export * from './types';
export * from './auto';
export * from './wait';
export { SSL_PASSTHROUGH } from './ingress';
export { nodeAddress } from './nodeport';
export {
  DEFAULT_INGRESS_CLASS_ANNOTATION,
  INGRESS_NGINX_CONTROLLER,
  resolveIngressClass,
} from './ingressClass';

const ENDPOINTS: Record<EndpointKind, Endpoint> = {
  clusterip: clusterIpEndpoint,
  nodeport: nodePortEndpoint,
  loadbalancer: loadBalancerEndpoint,
  ingress: ingressEndpoint,
  route: routeEndpoint,
};

/** @public */
export function endpointFor(kind: EndpointKind): Endpoint {
  return ENDPOINTS[kind];
}
