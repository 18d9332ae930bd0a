import type { V1Ingress } from '@kubernetes/client-node';
import type { Endpoint, EndpointContext } from './types';
import { transferService } from './service';

/** @public */
export const SSL_PASSTHROUGH = 'nginx.ingress.kubernetes.io/ssl-passthrough';

function ingressObject(ctx: EndpointContext): V1Ingress {
  if (!ctx.host)
    throw new Error(
      'the ingress endpoint needs a host (configure an ingress domain)',
    );
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: ctx.name,
      namespace: ctx.namespace,
      labels: ctx.labels,
      // TLS stays end to end between the two stunnels: the controller routes on SNI only
      annotations: { [SSL_PASSTHROUGH]: 'true' },
    },
    spec: {
      ...(ctx.ingressClassName
        ? { ingressClassName: ctx.ingressClassName }
        : {}),
      rules: [
        {
          host: ctx.host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: {
                  service: { name: ctx.name, port: { name: 'transfer' } },
                },
              },
            ],
          },
        },
      ],
    },
  };
}

/** TLS passthrough through an ingress controller: the client dials the host on 443 with SNI = host. */
export const ingressEndpoint: Endpoint = {
  kind: 'ingress',
  watches: ['ingress'],
  objects: ctx => [transferService(ctx, 'ClusterIP'), ingressObject(ctx)],
  address(ctx, { ingress }) {
    const admitted = ingress?.status?.loadBalancer?.ingress?.some(
      i => i.ip || i.hostname,
    );
    const host = ingress?.spec?.rules?.[0]?.host ?? ctx.host;
    if (!admitted || !host) return undefined;
    return { host, port: 443, sni: host };
  },
  waitingFor: ctx =>
    `an address in the status of Ingress ${ctx.namespace}/${ctx.name} (is an ingress controller with SSL passthrough running?)`,
};
