import type { V1IngressClass } from '@kubernetes/client-node';
import type {
  EndpointChoice,
  EndpointKind,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { SSL_PASSTHROUGH } from './ingress';
import {
  DEFAULT_INGRESS_CLASS_ANNOTATION,
  INGRESS_NGINX_CONTROLLER,
  resolveIngressClass,
} from './ingressClass';

/**
 * What discovery found about the destination cluster (and its relation to the source).
 *
 * @public
 */
export interface EndpointFacts {
  sameCluster: boolean;
  /** the destination cluster's name, for messages */
  cluster?: string;
  routeApiServed: boolean;
  /** false when the platform is known to have no load balancer; undefined when unknown */
  loadBalancerAvailable?: boolean;
  /** what loadBalancerAvailable was read from (a Service with or still without an address), for messages */
  loadBalancerEvidence?: string;
  /** a host domain for the ingress endpoint is configured */
  ingressConfigured: boolean;
  /** the class the ingress endpoint asks for (spec.options.ingressClassName); none: the default class */
  ingressClassName?: string;
  /** the destination's IngressClasses; undefined when unknown (not readable, not served, or not read) */
  ingressClasses?: V1IngressClass[];
  /** some Ready node has an address; undefined when unknown */
  nodePortReachable?: boolean;
}

/** @public */
export type EndpointSelection =
  | { kind: EndpointKind; reason: string; warnings?: string[] }
  | { kind?: undefined; refusal: string };

type Check = { problem: string } | { warnings: string[] };

function ingressCheck(facts: EndpointFacts, where: string): Check {
  if (!facts.ingressConfigured)
    return { problem: 'no host domain for ingress hosts is configured' };
  // unknown classes: the run finds out, as before this check existed
  if (!facts.ingressClasses) return { warnings: [] };
  const requested = facts.ingressClassName;
  const cls = resolveIngressClass(facts.ingressClasses, requested);
  if (!cls) {
    const names = facts.ingressClasses.map(c => c.metadata?.name);
    const existing = names.length
      ? `its classes are ${names.join(', ')}`
      : 'it has no IngressClass';
    return {
      problem: requested
        ? `${where} has no IngressClass "${requested}" (${existing})`
        : `no ingress class was named and ${where} has no default IngressClass (annotated ${DEFAULT_INGRESS_CLASS_ANNOTATION}: "true"; ${existing})`,
    };
  }
  const controller = cls.spec?.controller;
  if (controller === INGRESS_NGINX_CONTROLLER) return { warnings: [] };
  // the Ingress asks for passthrough in ingress-nginx's own annotation; other controllers may terminate TLS
  return {
    warnings: [
      `IngressClass "${cls.metadata?.name}" in ${where} belongs to ${controller ? `controller ${controller}` : 'no named controller'}, not ${INGRESS_NGINX_CONTROLLER}: the ingress endpoint needs ${SSL_PASSTHROUGH}, which it may ignore`,
    ],
  };
}

/** Whether an exposure can work with what is known; unknown facts pass, the run finds out. */
function check(kind: EndpointKind, facts: EndpointFacts): Check {
  const where = facts.cluster ? `cluster ${facts.cluster}` : 'the destination';
  const ok = { warnings: [] };
  switch (kind) {
    case 'clusterip':
      return facts.sameCluster
        ? ok
        : { problem: 'the destination is in another cluster' };
    case 'route':
      return facts.routeApiServed
        ? ok
        : { problem: `${where} does not serve route.openshift.io/v1` };
    case 'loadbalancer':
      if (facts.loadBalancerAvailable !== false) return ok;
      return {
        problem: facts.loadBalancerEvidence
          ? `${where} has no load balancer (${facts.loadBalancerEvidence})`
          : `${where} has no load balancer`,
      };
    case 'ingress':
      return ingressCheck(facts, where);
    case 'nodeport':
      return facts.nodePortReachable === false
        ? { problem: `no Ready node in ${where} has an address` }
        : ok;
    default:
      return { problem: `unknown exposure ${kind}` };
  }
}

/** `auto`'s order, cheapest first, and why each is chosen when the ones before it cannot work. */
const AUTO_ORDER: Array<[EndpointKind, string]> = [
  ['clusterip', 'source and destination are in the same cluster'],
  ['route', 'the destination serves route.openshift.io (passthrough Route)'],
  ['loadbalancer', 'another cluster without Routes: a LoadBalancer Service'],
  ['ingress', 'no load balancer: an Ingress with TLS passthrough'],
  ['nodeport', 'no load balancer or ingress: a NodePort Service'],
];

/**
 * Skipping these rests on what was read from the destination (or configured), not on the relation of the
 * two clusters alone, so the reason for the choice carries it: an operator who expected a load balancer
 * sees which Service showed there is none.
 */
const LOOKED_UP: ReadonlySet<EndpointKind> = new Set<EndpointKind>([
  'loadbalancer',
  'ingress',
]);

/**
 * `auto`: the cheapest exposure that works. Same cluster needs nothing external; OpenShift's router gives
 * a name-routed passthrough; else a load balancer, an ingress with passthrough, finally node ports.
 * An explicit choice is checked against the same facts so the plan can refuse it up front.
 *
 * @public
 */
export function selectEndpoint(
  choice: EndpointChoice,
  facts: EndpointFacts,
): EndpointSelection {
  if (choice !== 'auto') {
    const c = check(choice, facts);
    if ('problem' in c)
      return { refusal: `${choice} requested, but ${c.problem}` };
    return {
      kind: choice,
      reason: 'requested explicitly',
      ...(c.warnings.length ? { warnings: c.warnings } : {}),
    };
  }
  const skipped: string[] = [];
  const why: string[] = [];
  for (const [kind, reason] of AUTO_ORDER) {
    const c = check(kind, facts);
    if ('problem' in c) {
      skipped.push(`${kind}: ${c.problem}`);
      if (LOOKED_UP.has(kind)) why.push(`${kind} skipped: ${c.problem}`);
      continue;
    }
    return {
      kind,
      reason: why.length ? `${reason}; ${why.join('; ')}` : reason,
      ...(c.warnings.length ? { warnings: c.warnings } : {}),
    };
  }
  const where = facts.cluster ? `cluster ${facts.cluster}` : 'the destination';
  return {
    refusal: `no exposure can reach ${where} from the source cluster (${skipped.join('; ')})`,
  };
}
