import type { Endpoint } from './types';
import { servicePort, transferService } from './service';

/** Same cluster: the Service's DNS name, which the client pod resolves through cluster DNS. */
export const clusterIpEndpoint: Endpoint = {
  kind: 'clusterip',
  watches: ['service'],
  objects: ctx => [transferService(ctx, 'ClusterIP')],
  address(ctx, { service }) {
    const ip = service?.spec?.clusterIP;
    const port = servicePort(service)?.port;
    if (!ip || ip === 'None' || !port) return undefined;
    const host = `${ctx.name}.${ctx.namespace}.svc.${ctx.clusterDomain ?? 'cluster.local'}`;
    return { host, port, sni: host };
  },
  waitingFor: ctx => `a cluster IP for Service ${ctx.namespace}/${ctx.name}`,
};
