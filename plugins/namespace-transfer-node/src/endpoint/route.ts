import type { Endpoint, EndpointContext, Route } from './types';
import { transferService } from './service';

function routeObject(ctx: EndpointContext): Route {
  return {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: ctx.name, namespace: ctx.namespace, labels: ctx.labels },
    spec: {
      ...(ctx.host ? { host: ctx.host } : {}),
      to: { kind: 'Service', name: ctx.name, weight: 100 },
      port: { targetPort: 'transfer' },
      tls: {
        termination: 'passthrough',
        insecureEdgeTerminationPolicy: 'None',
      },
      wildcardPolicy: 'None',
    },
  };
}

/** OpenShift Route with passthrough: ready once a router admitted it; the host may be assigned. */
export const routeEndpoint: Endpoint = {
  kind: 'route',
  watches: ['route'],
  objects: ctx => [transferService(ctx, 'ClusterIP'), routeObject(ctx)],
  address(_ctx, { route }) {
    const admitted = route?.status?.ingress?.find(i =>
      i.conditions?.some(c => c.type === 'Admitted' && c.status === 'True'),
    );
    const host = route?.spec?.host ?? admitted?.host;
    if (!admitted || !host) return undefined;
    return { host, port: 443, sni: host };
  },
  waitingFor: ctx => `a router to admit Route ${ctx.namespace}/${ctx.name}`,
};
