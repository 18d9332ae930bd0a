import type { V1Node } from '@kubernetes/client-node';
import type { Endpoint } from './types';
import { servicePort, transferService } from './service';

/**
 * An address other clusters can reach: a node's ExternalIP, else its InternalIP; only Ready nodes.
 *
 * @public
 */
export function nodeAddress(nodes: V1Node[] | undefined): string | undefined {
  const ready = (nodes ?? []).filter(n =>
    n.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True'),
  );
  for (const type of ['ExternalIP', 'InternalIP']) {
    for (const n of ready) {
      const a = n.status?.addresses?.find(x => x.type === type)?.address;
      if (a) return a;
    }
  }
  return undefined;
}

export const nodePortEndpoint: Endpoint = {
  kind: 'nodeport',
  watches: ['service', 'nodes'],
  objects: ctx => [transferService(ctx, 'NodePort')],
  address(ctx, { service, nodes }) {
    const port = servicePort(service)?.nodePort;
    const host = nodeAddress(nodes);
    if (!port || !host) return undefined;
    return { host, port, sni: ctx.defaultSni };
  },
  waitingFor: ctx =>
    `a node port of Service ${ctx.namespace}/${ctx.name} and a Ready node with an address`,
};
