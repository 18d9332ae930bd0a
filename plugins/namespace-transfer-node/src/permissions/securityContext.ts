import type {
  V1PodSecurityContext,
  V1SecurityContext,
} from '@kubernetes/client-node';
import type { Identity } from '@namespace-transfer/plugin-namespace-transfer-common';

/**
 * Security contexts that pass Pod Security "restricted": non-root, no privilege escalation, every
 * capability dropped, the runtime's default seccomp profile. Mover pods never need more.
 *
 * @public
 */
export function podSecurityContext(identity: Identity): V1PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: identity.runAsUser,
    runAsGroup: identity.runAsGroup,
    ...(identity.fsGroup !== undefined
      ? // only walk the volume when its root does not already carry the group: large volumes stay fast
        { fsGroup: identity.fsGroup, fsGroupChangePolicy: 'OnRootMismatch' }
      : {}),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** @public */
export function containerSecurityContext(): V1SecurityContext {
  return {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * File mode of the Secret volume: rsync refuses password files that others can read.
 *
 * @public
 */
export const SECRET_VOLUME_MODE = 0o440;
