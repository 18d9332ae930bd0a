import type { Identity } from '@namespace-transfer/plugin-namespace-transfer-common';

/**
 * Crane's "permission repair": how file ownership and modes are adjusted on the way. Restricted pods run
 * without CAP_CHOWN, so owners are normally *not* preserved: files land owned by the server's identity.
 *
 * @public
 */
export interface PermissionRepair {
  /** keep numeric owners (only possible when the receiver may chown) */
  preserveOwners: boolean;
  /** rsync-style chmod applied to every file, e.g. `g+rwX` */
  chmod?: string;
  /** force an owner (only when the receiver may chown) */
  chown?: { uid: number; gid: number };
}

/** @public */
export interface RepairOptions {
  /** the receiving side holds CAP_CHOWN (never under Pod Security "restricted") */
  canChown?: boolean;
  /** the caller wants the source's numeric owners kept, when possible */
  preserveOwners?: boolean;
}

/** @public */
export function permissionRepair(
  identity: Identity,
  opts: RepairOptions = {},
): PermissionRepair {
  const canChown = opts.canChown === true;
  return {
    preserveOwners: canChown && opts.preserveOwners === true,
    chmod: identity.groupWritable ? 'g+rwX' : undefined,
    chown:
      canChown && opts.preserveOwners !== true
        ? { uid: identity.runAsUser, gid: identity.runAsGroup }
        : undefined,
  };
}

/**
 * The rsync flags for a repair decision.
 *
 * @public
 */
export function rsyncPermissionFlags(repair: PermissionRepair): string[] {
  const flags: string[] = [];
  if (repair.preserveOwners) flags.push('--owner', '--group', '--numeric-ids');
  else if (repair.chown)
    flags.push(
      `--chown=${repair.chown.uid}:${repair.chown.gid}`,
      '--numeric-ids',
    );
  // without chown rights the receiver would only fail or warn on every file: say so up front
  else flags.push('--no-owner', '--no-group');
  if (repair.chmod) flags.push(`--chmod=${repair.chmod}`);
  return flags;
}
