import type { EndpointAddress, SeamContext, Transport } from '../types';
import type { HostPort, Side } from '../../sides';

/**
 * No channel of its own: the mover server listens on the exposed port and must encrypt and authenticate
 * by itself (the planner refuses a mover that does not).
 *
 * @public
 */
export const nullTransport: Transport = {
  kind: 'null',
  encrypts: false,
  moverListen(ctx: SeamContext): HostPort {
    return { host: ctx.layout.listenHostArg, port: ctx.ports.exposed };
  },
  moverConnect(_ctx: SeamContext, endpoint: EndpointAddress): HostPort {
    return { host: endpoint.host, port: endpoint.port };
  },
  server: (): Side => ({ containers: [], secretData: {}, configData: {} }),
  client: (): Side => ({ containers: [], secretData: {}, configData: {} }),
};
