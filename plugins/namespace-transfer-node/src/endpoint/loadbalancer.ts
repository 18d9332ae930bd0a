import type { Endpoint } from './types';
import { servicePort, transferService } from './service';

export const loadBalancerEndpoint: Endpoint = {
  kind: 'loadbalancer',
  watches: ['service'],
  objects: ctx => [transferService(ctx, 'LoadBalancer')],
  address(ctx, { service }) {
    const ingress = service?.status?.loadBalancer?.ingress?.find(
      i => i.ip || i.hostname,
    );
    const port = servicePort(service)?.port;
    const host = ingress?.hostname ?? ingress?.ip;
    if (!host || !port) return undefined;
    return { host, port, sni: ingress?.hostname ?? ctx.defaultSni };
  },
  waitingFor: ctx =>
    `a load balancer address (status.loadBalancer.ingress) for Service ${ctx.namespace}/${ctx.name}`,
};
