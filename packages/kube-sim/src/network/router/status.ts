import type {
  V1Ingress,
  V1IngressLoadBalancerIngress,
} from '@kubernetes/client-node';
import type { Route, RouteIngress, RouteVerdict } from './table';

export const ROUTER_NAME = 'default';

/**
 * The status.ingress entry the OpenShift router writes for its shard ("default"). Entries of other routers
 * are kept; the lastTransitionTime only moves when the condition changes, so repeated reconciles do not
 * rewrite an unchanged status.
 */
export function desiredRouteIngress(
  route: Route,
  verdict: RouteVerdict,
  canonicalHostname: string,
  now: string,
): RouteIngress[] {
  const others = (route.status?.ingress ?? []).filter(
    i => i.routerName !== ROUTER_NAME,
  );
  const previous = (route.status?.ingress ?? []).find(
    i => i.routerName === ROUTER_NAME,
  );
  const status = verdict.admitted ? 'True' : 'False';
  const prevCondition = previous?.conditions?.find(c => c.type === 'Admitted');
  const unchanged =
    previous?.host === verdict.host &&
    prevCondition?.status === status &&
    prevCondition.reason === verdict.reason &&
    previous.routerCanonicalHostname === canonicalHostname;
  if (unchanged && previous) return [...others, previous];
  const condition = {
    type: 'Admitted',
    status,
    ...(verdict.reason ? { reason: verdict.reason } : {}),
    ...(verdict.message ? { message: verdict.message } : {}),
    lastTransitionTime: now,
  };
  return [
    ...others,
    {
      host: verdict.host,
      routerName: ROUTER_NAME,
      routerCanonicalHostname: canonicalHostname,
      wildcardPolicy: 'None',
      conditions: [condition],
    },
  ];
}

export function sameRouteIngress(
  a: RouteIngress[] | undefined,
  b: RouteIngress[],
): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b);
}

export function ingressStatusIs(ingress: V1Ingress, routerIP: string): boolean {
  const current: V1IngressLoadBalancerIngress[] =
    ingress.status?.loadBalancer?.ingress ?? [];
  return (
    current.length === 1 && current[0].ip === routerIP && !current[0].hostname
  );
}
