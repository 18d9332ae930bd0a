import type { SeamContext, EndpointAddress, Transport } from '../types';
import { SECRET_KEYS } from '../types';
import {
  configMount,
  doneMarker,
  scratchMount,
  secretMount,
  type HostPort,
  type Side,
} from '../../sides';
import {
  stunnelClientConfig,
  stunnelServerConfig,
  type StunnelFiles,
} from './config';

const CONFIG_KEY_SERVER = 'stunnel-server.conf';
const CONFIG_KEY_CLIENT = 'stunnel-client.conf';

function files(ctx: SeamContext): StunnelFiles {
  return {
    caFile: `${ctx.layout.secretDir}/${SECRET_KEYS.ca}`,
    certFile: `${ctx.layout.secretDir}/${SECRET_KEYS.cert}`,
    keyFile: `${ctx.layout.secretDir}/${SECRET_KEYS.key}`,
  };
}

/**
 * stunnel's pid file, made once it listens. The scratch volume is the pod's own emptyDir, shared with the
 * mover and new for every pod (stunnel refuses to start over an existing pid file).
 */
function readyFile(ctx: SeamContext): string {
  return `${ctx.layout.scratchDir}/stunnel.pid`;
}

/**
 * The client sidecar must end when the mover is done, or the client pod never completes (native sidecars
 * are not available on every supported control plane). It also ends if stunnel dies, so the pod fails.
 */
function clientScript(confPath: string, marker: string): string {
  return [
    `stunnel "${confPath}" &`,
    'pid=$!',
    `while [ ! -e "${marker}" ]; do`,
    '  if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; exit $?; fi',
    '  sleep 1',
    'done',
    'kill "$pid" 2>/dev/null',
    'wait "$pid" 2>/dev/null',
    'exit 0',
  ].join('\n');
}

/** @public */
export const stunnelTransport: Transport = {
  kind: 'stunnel',
  encrypts: true,

  moverListen(ctx: SeamContext): HostPort {
    return { host: ctx.layout.loopback, port: ctx.ports.mover };
  },

  moverConnect(ctx: SeamContext): HostPort {
    return { host: ctx.layout.loopback, port: ctx.ports.clientLocal };
  },

  server(ctx: SeamContext): Side {
    const conf = stunnelServerConfig({
      accept: `${ctx.layout.listenHost}:${ctx.ports.exposed}`,
      connect: `${ctx.layout.loopback}:${ctx.ports.mover}`,
      files: files(ctx),
      clientName: ctx.credentials.clientName,
    });
    return {
      containers: [
        {
          name: 'stunnel',
          image: ctx.image,
          command: ['stunnel', `${ctx.layout.configDir}/${CONFIG_KEY_SERVER}`],
          ports: [
            {
              name: 'transfer',
              containerPort: ctx.ports.exposed,
              protocol: 'TCP',
            },
          ],
          volumeMounts: [secretMount(ctx.layout), configMount(ctx.layout)],
          securityContext: ctx.securityContext,
          readinessProbe: {
            tcpSocket: { port: ctx.ports.exposed },
            // the first probe usually runs before the daemon listens: the next one decides when
            // traffic may flow (Services only route to Ready pods), so it comes after a second
            periodSeconds: 1,
          },
        },
      ],
      secretData: {
        [SECRET_KEYS.ca]: ctx.credentials.caPem,
        [SECRET_KEYS.cert]: ctx.credentials.server.certPem,
        [SECRET_KEYS.key]: ctx.credentials.server.keyPem,
      },
      configData: { [CONFIG_KEY_SERVER]: conf },
    };
  },

  clientReadyFile: readyFile,

  client(ctx: SeamContext, endpoint: EndpointAddress): Side {
    const conf = stunnelClientConfig({
      accept: `${ctx.layout.loopback}:${ctx.ports.clientLocal}`,
      connect: `${endpoint.host}:${endpoint.port}`,
      sni: endpoint.sni,
      files: files(ctx),
      serverName: ctx.credentials.serverName,
      readyFile: readyFile(ctx),
    });
    return {
      containers: [
        {
          name: 'stunnel',
          image: ctx.image,
          command: [
            '/bin/sh',
            '-c',
            clientScript(
              `${ctx.layout.configDir}/${CONFIG_KEY_CLIENT}`,
              doneMarker(ctx.layout),
            ),
          ],
          volumeMounts: [
            secretMount(ctx.layout),
            configMount(ctx.layout),
            scratchMount(ctx.layout),
          ],
          securityContext: ctx.securityContext,
        },
      ],
      secretData: {
        [SECRET_KEYS.ca]: ctx.credentials.caPem,
        [SECRET_KEYS.cert]: ctx.credentials.client.certPem,
        [SECRET_KEYS.key]: ctx.credentials.client.keyPem,
      },
      configData: { [CONFIG_KEY_CLIENT]: conf },
    };
  },
};
