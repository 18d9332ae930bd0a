import type {
  EndpointChoice,
  EndpointKind,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/** What discovery found about the destination cluster (and its relation to the source). */
export interface EndpointFacts {
  sameCluster: boolean;
  routeApiServed: boolean;
  /** false when the platform is known to have no load balancer; undefined when unknown */
  loadBalancerAvailable?: boolean;
  /** an ingress class and a domain for hosts are configured */
  ingressConfigured: boolean;
  /** nodes have addresses the source cluster can reach */
  nodePortReachable?: boolean;
}

export type EndpointSelection =
  | { kind: EndpointKind; reason: string }
  | { kind?: undefined; refusal: string };

/**
 * `auto`: the cheapest exposure that works. Same cluster needs nothing external; OpenShift's router gives
 * a name-routed passthrough; else a load balancer, an ingress with passthrough, finally node ports.
 * An explicit choice is checked against the same facts so the plan can refuse it up front.
 */
export function selectEndpoint(
  choice: EndpointChoice,
  facts: EndpointFacts,
): EndpointSelection {
  if (choice !== 'auto') {
    if (choice === 'clusterip' && !facts.sameCluster) {
      return {
        refusal:
          'clusterip only works within one cluster; the destination is in another cluster',
      };
    }
    if (choice === 'route' && !facts.routeApiServed) {
      return {
        refusal:
          'route requested, but the destination cluster does not serve route.openshift.io/v1',
      };
    }
    if (choice === 'ingress' && !facts.ingressConfigured) {
      return {
        refusal:
          'ingress requested, but no ingress class and host domain are configured',
      };
    }
    if (choice === 'loadbalancer' && facts.loadBalancerAvailable === false) {
      return {
        refusal:
          'loadbalancer requested, but the destination cluster has no load balancer',
      };
    }
    return { kind: choice, reason: `requested explicitly` };
  }
  if (facts.sameCluster)
    return {
      kind: 'clusterip',
      reason: 'source and destination are in the same cluster',
    };
  if (facts.routeApiServed)
    return {
      kind: 'route',
      reason: 'the destination serves route.openshift.io (passthrough Route)',
    };
  if (facts.loadBalancerAvailable !== false) {
    return {
      kind: 'loadbalancer',
      reason: 'another cluster without Routes: a LoadBalancer Service',
    };
  }
  if (facts.ingressConfigured)
    return {
      kind: 'ingress',
      reason: 'no load balancer: an Ingress with TLS passthrough',
    };
  if (facts.nodePortReachable !== false)
    return {
      kind: 'nodeport',
      reason: 'no load balancer or ingress: a NodePort Service',
    };
  return {
    refusal: 'no exposure can reach the destination from the source cluster',
  };
}
