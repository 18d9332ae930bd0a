import {
  configMount,
  dataMounts,
  scratchMount,
  secretMount,
  type Side,
} from '../../sides';
import type {
  MoverClientContext,
  MoverServerContext,
  Transfer,
} from '../types';
import {
  RSYNCD_CONF,
  RSYNCD_SECRETS,
  RSYNC_PASSWORD,
  rsyncdConfig,
} from './daemonConfig';
import { rsyncClientScript } from './clientScript';
import { createRsyncOutputParser } from './parser';

export { rsyncdConfig } from './daemonConfig';
export { rsyncClientScript, rsyncBaseFlags } from './clientScript';
export { createRsyncOutputParser } from './parser';

/**
 * The default mover. Unencrypted by itself, so it always runs behind a transport: the daemon listens on
 * the pod's loopback only and is reachable solely through the transport sidecar.
 *
 * @public
 */
export const rsyncTransfer: Transfer = {
  kind: 'rsync',
  encrypts: false,
  supportsSidecarTransport: true,
  fidelity: {
    hardLinks: true,
    sparse: true,
    modes: true,
    symlinks: true,
    xattrs: true,
  },

  server(ctx: MoverServerContext): Side {
    return {
      containers: [
        {
          name: 'rsync-daemon',
          image: ctx.image,
          command: ['rsync'],
          args: [
            '--daemon',
            '--no-detach',
            `--config=${ctx.layout.configDir}/${RSYNCD_CONF}`,
            `--address=${ctx.listen.host}`,
            `--port=${ctx.listen.port}`,
            '--log-file=/dev/stderr',
          ],
          volumeMounts: [
            secretMount(ctx.layout),
            configMount(ctx.layout),
            scratchMount(ctx.layout),
            ...dataMounts(ctx.layout, ctx.modules, false),
          ],
          securityContext: ctx.securityContext,
        },
      ],
      secretData: {
        [RSYNCD_SECRETS]: `${ctx.credentials.moverUser}:${ctx.credentials.moverPassword}\n`,
      },
      configData: {
        [RSYNCD_CONF]: rsyncdConfig(
          ctx.layout,
          ctx.modules,
          ctx.credentials.moverUser,
        ),
      },
    };
  },

  client(ctx: MoverClientContext): Side {
    return {
      containers: [
        {
          name: 'rsync',
          image: ctx.image,
          command: ['/bin/sh', '-c', rsyncClientScript(ctx)],
          volumeMounts: [
            secretMount(ctx.layout),
            scratchMount(ctx.layout),
            ...dataMounts(ctx.layout, ctx.modules, true),
          ],
          securityContext: ctx.securityContext,
        },
      ],
      secretData: { [RSYNC_PASSWORD]: `${ctx.credentials.moverPassword}\n` },
      configData: {},
    };
  },

  createOutputParser: now => createRsyncOutputParser(now),
};
