import { dataMounts, scratchMount, secretMount, type Side } from '../../sides';
import { SECRET_KEYS } from '../../transport';
import type {
  MoverClientContext,
  MoverServerContext,
  Transfer,
} from '../types';
import { rcloneClientScript } from './clientScript';
import { createRcloneOutputParser } from './parser';

export { rcloneClientScript, rcloneClientFlags } from './clientScript';
export { createRcloneOutputParser } from './parser';

/**
 * rclone over WebDAV with rclone's own mutual TLS, paired with the `null` transport. Chosen over
 * rclone-behind-stunnel because rclone is a static Go binary: it cannot be confined to a pod-local
 * loopback everywhere (kube-sim's shim cannot redirect it), so plain HTTP would be reachable by other
 * pods. With its own TLS the listening socket itself demands a client certificate of this transfer.
 * Limits: no hard links, no sparse files, no owners/modes/times (WebDAV does not carry them);
 * rclone 1.60 cannot refuse TLS 1.2 on the server side, but both ends negotiate TLS 1.3.
 *
 * @public
 */
export const rcloneTransfer: Transfer = {
  kind: 'rclone',
  encrypts: true,
  supportsSidecarTransport: false,
  fidelity: {
    hardLinks: false,
    sparse: false,
    modes: false,
    symlinks: true,
    xattrs: false,
  },

  server(ctx: MoverServerContext): Side {
    const s = ctx.layout.secretDir;
    const host = ctx.listen.host.includes(':')
      ? `[${ctx.listen.host}]`
      : ctx.listen.host;
    return {
      containers: [
        {
          name: 'rclone-server',
          image: ctx.image,
          command: ['rclone'],
          args: [
            'serve',
            'webdav',
            ctx.layout.dataRoot,
            `--addr=${host}:${ctx.listen.port}`,
            `--cert=${s}/${SECRET_KEYS.cert}`,
            `--key=${s}/${SECRET_KEYS.key}`,
            `--client-ca=${s}/${SECRET_KEYS.ca}`,
            '--links',
            // no cached directory listings: a verification must see the disk as it is now
            '--dir-cache-time=0s',
            `--config=${ctx.layout.scratchDir}/rclone.conf`,
            `--cache-dir=${ctx.layout.scratchDir}/cache`,
            '--use-json-log',
          ],
          env: [{ name: 'HOME', value: ctx.layout.scratchDir }],
          ports: [
            {
              name: 'transfer',
              containerPort: ctx.listen.port,
              protocol: 'TCP',
            },
          ],
          volumeMounts: [
            secretMount(ctx.layout),
            scratchMount(ctx.layout),
            ...dataMounts(ctx.layout, ctx.modules, false),
          ],
          securityContext: ctx.securityContext,
          readinessProbe: {
            tcpSocket: { port: ctx.listen.port },
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
      configData: {},
    };
  },

  client(ctx: MoverClientContext): Side {
    return {
      containers: [
        {
          name: 'rclone',
          image: ctx.image,
          command: ['/bin/sh', '-c', rcloneClientScript(ctx)],
          volumeMounts: [
            secretMount(ctx.layout),
            scratchMount(ctx.layout),
            ...dataMounts(ctx.layout, ctx.modules, true),
          ],
          securityContext: ctx.securityContext,
        },
      ],
      secretData: {
        [SECRET_KEYS.ca]: ctx.credentials.caPem,
        [SECRET_KEYS.cert]: ctx.credentials.client.certPem,
        [SECRET_KEYS.key]: ctx.credentials.client.keyPem,
      },
      configData: {},
    };
  },

  createOutputParser: now => createRcloneOutputParser(now),
};
