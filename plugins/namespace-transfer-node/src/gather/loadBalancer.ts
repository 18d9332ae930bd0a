import type { V1Service } from '@kubernetes/client-node';

/**
 * How long a LoadBalancer Service may wait for its address before the wait counts as evidence.
 *
 * @public
 */
export const DEFAULT_LOAD_BALANCER_GRACE_MS = 5 * 60_000;

/**
 * What the destination's LoadBalancer Services say; both undefined when they say nothing.
 *
 * @public
 */
export interface LoadBalancerFinding {
  available?: boolean;
  /** the Service the finding rests on, for messages */
  evidence?: string;
}

const ref = (s: V1Service) => `${s.metadata?.namespace}/${s.metadata?.name}`;

const created = (s: V1Service) =>
  new Date(s.metadata?.creationTimestamp ?? 0).getTime();

/**
 * The Services that tell about the implementation the engine's own Service would get: type LoadBalancer
 * without spec.loadBalancerClass. A classed one belongs to another implementation (the default one skips
 * it), so its address, or its lack of one, says nothing about the default.
 *
 * @public
 */
export function defaultClassLoadBalancers(services: V1Service[]): V1Service[] {
  return services.filter(
    s => s.spec?.type === 'LoadBalancer' && !s.spec.loadBalancerClass,
  );
}

/** @public */
export function loadBalancerAddress(s: V1Service): string | undefined {
  const ingress = s.status?.loadBalancer?.ingress?.find(
    i => i.ip || i.hostname,
  );
  return ingress?.hostname ?? ingress?.ip;
}

/**
 * An address on any of them shows an implementation (a cloud controller, MetalLB) at work. None with one,
 * although the oldest has waited longer than a controller takes, is what a bare-metal cluster without
 * one looks like: the Service stays pending forever. A younger one may just not be served yet, and no
 * such Service at all proves nothing either way.
 *
 * @public
 */
export function loadBalancerFinding(
  services: V1Service[],
  now: number,
  graceMs: number,
): LoadBalancerFinding {
  const candidates = defaultClassLoadBalancers(services);
  const served = candidates.find(s => loadBalancerAddress(s));
  if (served)
    return {
      available: true,
      evidence: `Service ${ref(served)} has the load balancer address ${loadBalancerAddress(served)}`,
    };
  const oldest = candidates.sort((a, b) => created(a) - created(b))[0];
  if (!oldest?.metadata?.creationTimestamp) return {};
  const since = created(oldest);
  if (now - since < graceMs) return {};
  return {
    available: false,
    evidence: `Service ${ref(oldest)} has waited for a load balancer address since ${new Date(since).toISOString()}`,
  };
}
