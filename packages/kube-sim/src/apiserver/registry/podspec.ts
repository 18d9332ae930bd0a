/**
 * What every kind that embeds a PodSpec shares: its strategic-merge list keys and its defaults
 * (k8s.io/kubernetes/pkg/apis/core/v1/defaults.go), applied at a path prefix (`spec` for a Pod,
 * `spec.template.spec` for a Deployment).
 */
import type { KObject } from './types';

const POD_SPEC_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  'containers[].ports': 'containerPort',
  'initContainers[].ports': 'containerPort',
  'containers[].env': 'name',
  'initContainers[].env': 'name',
  'containers[].volumeMounts': 'mountPath',
  'initContainers[].volumeMounts': 'mountPath',
  'containers[].volumeDevices': 'devicePath',
  'containers[].resizePolicy': 'resourceName',
  volumes: 'name',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  readinessGates: 'conditionType',
};

/** Merge keys of a PodSpec embedded at `prefix`. */
export function podSpecMergeKeys(prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(POD_SPEC_KEYS)) out[`${prefix}.${k}`] = v;
  return out;
}

export const POD_STATUS_MERGE_KEYS: Record<string, string> = {
  'status.conditions': 'type',
  'status.podIPs': 'ip',
};

function defaultProbe(p: KObject | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
}

function defaultImagePullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.split('/').pop() ?? '';
  const tag = last.includes(':') ? last.split(':').pop() : undefined;
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: KObject): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.imagePullPolicy ??= defaultImagePullPolicy(c.image);
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const e of c.env ?? [])
    if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultVolume(v: KObject): void {
  if (v.secret) v.secret.defaultMode ??= 420;
  if (v.configMap) v.configMap.defaultMode ??= 420;
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.downwardAPI) v.downwardAPI.defaultMode ??= 420;
  if (v.projected) v.projected.defaultMode ??= 420;
  const known = [
    'secret',
    'configMap',
    'hostPath',
    'persistentVolumeClaim',
    'emptyDir',
    'downwardAPI',
    'projected',
    'nfs',
    'csi',
    'ephemeral',
  ];
  if (!known.some(k => k in v)) v.emptyDir = {};
}

/** Defaults of a PodSpec (and of the containers and volumes in it). */
export function defaultPodSpec(spec: KObject | undefined): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** Defaults of a PodTemplateSpec inside a workload. */
export function defaultPodTemplate(template: KObject | undefined): void {
  if (!template) return;
  template.metadata ??= {};
  defaultPodSpec(template.spec);
}

function get(obj: KObject, path: string): KObject | undefined {
  return path
    .split('.')
    .reduce<KObject | undefined>((o, k) => (o ? o[k] : undefined), obj);
}

export function podTemplateAt(obj: KObject, path: string): KObject | undefined {
  return get(obj, path);
}
