import type { ModuleSpec, PodLayout } from '../../sides';
import { modulePath } from '../../sides';

export const RSYNCD_CONF = 'rsyncd.conf';
export const RSYNCD_SECRETS = 'rsyncd.secrets';
export const RSYNC_PASSWORD = 'rsync.password';

/**
 * rsyncd.conf for the server. The daemon runs as the destination's non-root identity, so there is no
 * `uid`/`gid` and no chroot. A non-chrooted daemon sanitizes incoming symlinks (absolute targets lose
 * their leading slash) unless it serves "/", so each module serves "/" and a daemon filter confines the
 * client to that PVC's mount: the pod is the boundary a chroot would otherwise be.
 *
 * @public
 */
export function rsyncdConfig(
  layout: PodLayout,
  modules: ModuleSpec[],
  user: string,
): string {
  const global = [
    'use chroot = no',
    'munge symlinks = no',
    'numeric ids = yes',
    'reverse lookup = no',
    `lock file = ${layout.scratchDir}/rsyncd.lock`,
    'max connections = 4',
    'timeout = 600',
    // data is already compressed or travels over a fast link; compression would cost more than it saves
    'dont compress = *',
  ];
  const perModule = modules.flatMap(m => {
    const path = modulePath(layout, m);
    // filter rules are separated by whitespace
    if (/\s/.test(path))
      throw new Error(`module path must not contain whitespace: ${path}`);
    return [
      '',
      `[${m.name}]`,
      'path = /',
      'read only = no',
      'list = no',
      `auth users = ${user}:rw`,
      `secrets file = ${layout.secretDir}/${RSYNCD_SECRETS}`,
      'strict modes = yes',
      // the filesystem's own lost+found is not the application's data and must survive --delete
      `filter = - ${path}/lost+found/ + ${path} + ${path}/** - *`,
    ];
  });
  return `${[...global, ...perModule].join('\n')}\n`;
}

/** The path a client names on the daemon for a module (the module serves "/"). */
export function remoteModulePath(
  remoteLayout: Pick<PodLayout, 'dataRoot'>,
  module: ModuleSpec,
): string {
  return `${remoteLayout.dataRoot}/${module.name}`;
}
