import type {
  V1IngressClass,
  V1Node,
  V1Service,
} from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { nodeAddress, selectEndpoint, type EndpointFacts } from '../endpoint';
import {
  DEFAULT_LOAD_BALANCER_GRACE_MS,
  defaultClassLoadBalancers,
  loadBalancerAddress,
  loadBalancerFinding,
} from './loadBalancer';

/**
 * Reads of the destination; undefined means unknown (forbidden or not served).
 *
 * @public
 */
export interface ExposureReads {
  nodes(): Promise<V1Node[] | undefined>;
  ingressClasses(): Promise<V1IngressClass[] | undefined>;
  /**
   * the LoadBalancer Services of all namespaces, read a page at a time until `enough` holds for those
   * read so far (a large cluster has many Services; one with an address settles it)
   */
  loadBalancerServices(
    enough: (read: V1Service[]) => boolean,
  ): Promise<V1Service[] | undefined>;
}

/** @public */
export interface ExposureOptions {
  /** how long a LoadBalancer Service may wait for an address before the wait means there is no load balancer */
  loadBalancerGraceMs?: number;
  now?: () => number;
}

/**
 * Adds what decides whether an exposure can ever get an address (Ready nodes with one for node ports,
 * the ingress class for an ingress, other LoadBalancer Services for a load balancer the caller did not
 * configure), read only when the selection would land on that exposure: a namespace-scoped identity
 * cannot read any of them, and an unneeded read would only add a warning.
 *
 * @public
 */
export async function withExposureFacts(
  spec: TransferSpec,
  base: EndpointFacts,
  reads: ExposureReads,
  opts: ExposureOptions = {},
): Promise<EndpointFacts> {
  if (spec.mode === 'rebind') return base;
  const choice = spec.options?.endpoint ?? 'auto';
  let facts = base;
  let nodesRead = false;
  let classesRead = false;
  // what the operator configured wins: a cluster may have a load balancer no Service has used yet
  let servicesRead = base.loadBalancerAvailable !== undefined;
  // each round learns one fact the current choice depends on; a refuted choice moves auto to the next
  for (;;) {
    const sel = selectEndpoint(choice, facts);
    if (sel.kind === 'ingress' && !classesRead) {
      classesRead = true;
      facts = { ...facts, ingressClasses: await reads.ingressClasses() };
    } else if (sel.kind === 'nodeport' && !nodesRead) {
      nodesRead = true;
      const nodes = await reads.nodes();
      facts = {
        ...facts,
        nodePortReachable: nodes ? nodeAddress(nodes) !== undefined : undefined,
      };
    } else if (sel.kind === 'loadbalancer' && !servicesRead) {
      servicesRead = true;
      const services = await reads.loadBalancerServices(read =>
        defaultClassLoadBalancers(read).some(s => loadBalancerAddress(s)),
      );
      const found = services
        ? loadBalancerFinding(
            services,
            (opts.now ?? Date.now)(),
            opts.loadBalancerGraceMs ?? DEFAULT_LOAD_BALANCER_GRACE_MS,
          )
        : {};
      facts = {
        ...facts,
        loadBalancerAvailable: found.available,
        loadBalancerEvidence: found.evidence,
      };
    } else {
      return facts;
    }
  }
}
