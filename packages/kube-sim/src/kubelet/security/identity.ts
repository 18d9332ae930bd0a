import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { ContainerConfigError } from '../env/containerEnv';

/** The process identity and privileges a container runs with. */
export interface Identity {
  uid: number;
  gid: number;
  /** supplementary groups: supplementalGroups then fsGroup, as the runtime gets them from the kubelet */
  groups: number[];
  noNewPrivs: boolean;
  /** capability bounding set, lower-case names without the CAP_ prefix */
  capabilities: string[];
}

// The capabilities containerd/runc grant a container by default (moby's default set).
export const DEFAULT_CAPS = [
  'chown',
  'dac_override',
  'fsetid',
  'fowner',
  'mknod',
  'net_raw',
  'setgid',
  'setuid',
  'setfcap',
  'setpcap',
  'net_bind_service',
  'sys_chroot',
  'kill',
  'audit_write',
];

function capName(c: string): string {
  return c.toLowerCase().replace(/^cap_/, '');
}

function podRef(pod: V1Pod): string {
  return `${pod.metadata!.name}_${pod.metadata!.namespace}(${pod.metadata!.uid})`;
}

/**
 * Merges pod and container securityContext (container wins) and applies the kubelet's runAsNonRoot
 * verification. The image is ignored, so its user is unknown: like an image without USER, it is root.
 */
export function resolveIdentity(pod: V1Pod, c: V1Container): Identity {
  const psc = pod.spec?.securityContext ?? {};
  const csc = c.securityContext ?? {};
  const runAsUser = csc.runAsUser ?? psc.runAsUser;
  const runAsGroup = csc.runAsGroup ?? psc.runAsGroup;
  const runAsNonRoot = csc.runAsNonRoot ?? psc.runAsNonRoot;
  if (runAsNonRoot) {
    if (runAsUser === undefined) {
      throw new ContainerConfigError(
        `container has runAsNonRoot and image will run as root (pod: "${podRef(pod)}", container: ${c.name})`,
      );
    }
    if (runAsUser === 0) {
      throw new ContainerConfigError(
        `container's runAsUser breaks non-root policy (pod: "${podRef(pod)}", container: ${c.name})`,
      );
    }
  }
  const groups: number[] = [];
  for (const g of psc.supplementalGroups ?? [])
    if (!groups.includes(g)) groups.push(g);
  if (psc.fsGroup !== undefined && !groups.includes(psc.fsGroup))
    groups.push(psc.fsGroup);

  let caps = csc.privileged ? allCaps() : [...DEFAULT_CAPS];
  const drop = (csc.capabilities?.drop ?? []).map(capName);
  const add = (csc.capabilities?.add ?? []).map(capName);
  if (drop.includes('all')) caps = [];
  else caps = caps.filter(x => !drop.includes(x));
  for (const a of add) {
    if (a === 'all') caps = allCaps();
    else if (!caps.includes(a)) caps.push(a);
  }
  return {
    uid: runAsUser ?? 0,
    gid: runAsGroup ?? 0,
    groups,
    // privileged containers and added CAP_SYS_ADMIN imply escalation is allowed (API validation forbids
    // setting allowPrivilegeEscalation=false with them anyway).
    noNewPrivs: csc.allowPrivilegeEscalation === false,
    capabilities: caps,
  };
}

function allCaps(): string[] {
  return ['all'];
}

/** setpriv arguments that drop to the identity; the command follows `--`. */
export function setprivArgs(id: Identity): string[] {
  const args = [`--reuid=${id.uid}`, `--regid=${id.gid}`];
  args.push(
    id.groups.length ? `--groups=${id.groups.join(',')}` : '--clear-groups',
  );
  if (id.noNewPrivs) args.push('--no-new-privs');
  if (!id.capabilities.includes('all')) {
    // Inheritable first, then the bounding set: what is not in the bounding set can never be regained.
    args.push('--inh-caps=-all');
    args.push(
      `--bounding-set=-all${id.capabilities.map(c => `,+${c}`).join('')}`,
    );
  }
  return args;
}
