/**
 * Pod Security admission: pods in a namespace labelled pod-security.kubernetes.io/enforce=baseline or
 * restricted are refused when they break that level of the Pod Security Standards (latest), with the real
 * message shape. Unlabelled namespaces are privileged, as with the default admission configuration.
 */
import type { AdmissionPlugin } from '.';
import { forbidden } from '../errors';
import type { KObject } from '../registry/types';
import type { Store } from '../store';

type Level = 'privileged' | 'baseline' | 'restricted';

const BASELINE_CAPS = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const RESTRICTED_VOLUMES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

const quoteList = (names: string[]) => names.map(n => `"${n}"`).join(', ');
const containersPhrase = (names: string[]) =>
  `${names.length === 1 ? 'container' : 'containers'} ${quoteList(names)}`;

function allContainers(spec: KObject): KObject[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

function baseline(spec: KObject): string[] {
  const out: string[] = [];
  const hosts = ['hostNetwork', 'hostPID', 'hostIPC'].filter(
    h => spec[h] === true,
  );
  if (hosts.length)
    out.push(`host namespaces (${hosts.map(h => `${h}=true`).join(', ')})`);
  const cs = allContainers(spec);
  const privileged = cs
    .filter(c => c.securityContext?.privileged === true)
    .map(c => c.name);
  if (privileged.length)
    out.push(
      `privileged (${containersPhrase(privileged)} must not set securityContext.privileged=true)`,
    );
  const caps = cs.flatMap(c =>
    (c.securityContext?.capabilities?.add ?? [])
      .filter((a: string) => !BASELINE_CAPS.has(a))
      .map((a: string) => [c.name, a]),
  );
  if (caps.length)
    out.push(
      `non-default capabilities (${caps.map(([n, a]) => `container "${n}" must not include "${a}" in securityContext.capabilities.add`).join('; ')})`,
    );
  const hostPath = (spec.volumes ?? [])
    .filter((v: KObject) => v.hostPath)
    .map((v: KObject) => v.name);
  if (hostPath.length)
    out.push(
      `hostPath volumes (${hostPath.length === 1 ? 'volume' : 'volumes'} ${quoteList(hostPath)})`,
    );
  const hostPorts = cs.flatMap(c =>
    (c.ports ?? [])
      .filter((p: KObject) => p.hostPort)
      .map((p: KObject) => `container "${c.name}" uses hostPort ${p.hostPort}`),
  );
  if (hostPorts.length) out.push(`hostPort (${hostPorts.join(', ')})`);
  const unconfined =
    spec.securityContext?.seccompProfile?.type === 'Unconfined' ||
    cs.some(c => c.securityContext?.seccompProfile?.type === 'Unconfined');
  if (unconfined)
    out.push(
      'seccompProfile (pod or containers must not set securityContext.seccompProfile.type to "Unconfined")',
    );
  return out;
}

function restricted(spec: KObject): string[] {
  const out = baseline(spec);
  const cs = allContainers(spec);
  const badVolumes = (spec.volumes ?? [])
    .map((v: KObject) => [
      v.name,
      Object.keys(v).find(k => k !== 'name' && !RESTRICTED_VOLUMES.includes(k)),
    ])
    .filter(([, t]: string[]) => t);
  if (badVolumes.length)
    out.push(
      `restricted volume types (${badVolumes.map(([n, t]: string[]) => `volume "${n}" uses restricted volume type "${t}"`).join(', ')})`,
    );
  const escalation = cs
    .filter(c => c.securityContext?.allowPrivilegeEscalation !== false)
    .map(c => c.name);
  if (escalation.length)
    out.push(
      `allowPrivilegeEscalation != false (${containersPhrase(escalation)} must set securityContext.allowPrivilegeEscalation=false)`,
    );
  const noDrop = cs
    .filter(c => !(c.securityContext?.capabilities?.drop ?? []).includes('ALL'))
    .map(c => c.name);
  const extraAdd = cs
    .filter(c =>
      (c.securityContext?.capabilities?.add ?? []).some(
        (a: string) => a !== 'NET_BIND_SERVICE',
      ),
    )
    .map(c => c.name);
  if (noDrop.length || extraAdd.length) {
    const parts: string[] = [];
    if (noDrop.length)
      parts.push(
        `${containersPhrase(noDrop)} must set securityContext.capabilities.drop=["ALL"]`,
      );
    if (extraAdd.length)
      parts.push(
        `${containersPhrase(extraAdd)} must not include capabilities other than "NET_BIND_SERVICE" in securityContext.capabilities.add`,
      );
    out.push(`unrestricted capabilities (${parts.join('; ')})`);
  }
  const podNonRoot = spec.securityContext?.runAsNonRoot;
  const rootish = cs
    .filter(c => (c.securityContext?.runAsNonRoot ?? podNonRoot) !== true)
    .map(c => c.name);
  if (podNonRoot === false || rootish.length)
    out.push(
      `runAsNonRoot != true (${podNonRoot === false ? 'pod must not set securityContext.runAsNonRoot=false' : `pod or ${containersPhrase(rootish)} must set securityContext.runAsNonRoot=true`})`,
    );
  const root = cs
    .filter(
      c =>
        (c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser) === 0,
    )
    .map(c => c.name);
  if (root.length)
    out.push(
      `runAsUser=0 (${containersPhrase(root)} must not set runAsUser=0)`,
    );
  const podSeccomp = spec.securityContext?.seccompProfile?.type;
  const noSeccomp = cs
    .filter(
      c =>
        !['RuntimeDefault', 'Localhost'].includes(
          c.securityContext?.seccompProfile?.type ?? podSeccomp,
        ),
    )
    .map(c => c.name);
  if (noSeccomp.length)
    out.push(
      `seccompProfile (pod or ${containersPhrase(noSeccomp)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`,
    );
  return out;
}

export function violations(level: Level, spec: KObject): string[] {
  if (level === 'restricted') return restricted(spec);
  if (level === 'baseline') return baseline(spec);
  return [];
}

export function podSecurity(store: Store): AdmissionPlugin {
  return {
    admitCreate(d, obj) {
      if (d.group || d.kind !== 'Pod') return;
      const ns = store.get('namespaces', undefined, obj.metadata.namespace);
      const raw = ns?.metadata.labels?.['pod-security.kubernetes.io/enforce'];
      const level: Level =
        raw === 'baseline' || raw === 'restricted' ? raw : 'privileged';
      const version =
        ns?.metadata.labels?.['pod-security.kubernetes.io/enforce-version'] ??
        'latest';
      const found = violations(level, obj.spec ?? {});
      if (found.length)
        throw forbidden(
          { group: '', resource: 'pods' },
          obj.metadata.name,
          `violates PodSecurity "${level}:${version}": ${found.join(', ')}`,
        );
    },
  };
}
