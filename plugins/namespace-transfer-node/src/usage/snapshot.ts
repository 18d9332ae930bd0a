import type {
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1ObjectMeta,
  V1OwnerReference,
  V1Pod,
  V1PodSpec,
  V1ReplicaSet,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { LABEL_TRANSFER_ID } from '../naming';

/**
 * Any controller that makes pods, normalized: list responses carry no apiVersion/kind on their items, and
 * the pod spec sits at a different depth per kind (CronJob → jobTemplate → template).
 *
 * @public
 */
export interface ControllerObject {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta;
  podSpec?: V1PodSpec;
  /** desired replicas for kinds that have them (a CronJob: 0 when suspended, else 1) */
  replicas?: number;
  /** StatefulSet volumeClaimTemplates names: they create PVCs `<template>-<statefulset>-<ordinal>` */
  claimTemplates?: string[];
  /** a Job that has not finished (no Complete or Failed condition) */
  active?: boolean;
}

/**
 * The pods and controllers of one namespace, listed once: enough to resolve who uses every claim.
 *
 * @public
 */
export interface NamespaceSnapshot {
  namespace: string;
  pods: V1Pod[];
  controllers: ControllerObject[];
  /** the namespace's claims: which StatefulSet claim templates made which claim */
  claims?: string[];
}

/** @public */
export const fromDeployment = (d: V1Deployment): ControllerObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: d.metadata ?? {},
  podSpec: d.spec?.template.spec,
  replicas: d.spec?.replicas ?? 1,
});

/** @public */
export const fromReplicaSet = (r: V1ReplicaSet): ControllerObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: r.metadata ?? {},
  podSpec: r.spec?.template?.spec,
  replicas: r.spec?.replicas ?? 1,
});

/** @public */
export const fromStatefulSet = (s: V1StatefulSet): ControllerObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: s.metadata ?? {},
  podSpec: s.spec?.template.spec,
  replicas: s.spec?.replicas ?? 1,
  claimTemplates: (s.spec?.volumeClaimTemplates ?? [])
    .map(t => t.metadata?.name ?? '')
    .filter(Boolean),
});

/** @public */
export const fromDaemonSet = (d: V1DaemonSet): ControllerObject => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: d.metadata ?? {},
  podSpec: d.spec?.template.spec,
  // the pods it wants: one per matching node (0 once quiesce's node selector matches none)
  replicas: d.status?.desiredNumberScheduled,
});

const JOB_DONE = new Set(['Complete', 'Failed']);

/** @public */
export const fromJob = (j: V1Job): ControllerObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: j.metadata ?? {},
  podSpec: j.spec?.template.spec,
  active: !(j.status?.conditions ?? []).some(
    c => JOB_DONE.has(c.type) && c.status === 'True',
  ),
});

/** @public */
export const fromCronJob = (c: V1CronJob): ControllerObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: c.metadata ?? {},
  podSpec: c.spec?.jobTemplate.spec?.template.spec,
  replicas: c.spec?.suspend ? 0 : 1,
});

/**
 * An OpenShift DeploymentConfig (a custom object to this client) and the ReplicationControllers it makes.
 *
 * @public
 */
export const fromTemplated =
  (apiVersion: string, kind: string) =>
  (o: {
    metadata?: V1ObjectMeta;
    spec?: { replicas?: number; template?: { spec?: V1PodSpec } };
  }): ControllerObject => ({
    apiVersion,
    kind,
    metadata: o.metadata ?? {},
    podSpec: o.spec?.template?.spec,
    replicas: o.spec?.replicas ?? 1,
  });

/**
 * The ownerReference that marks the managing controller, as the garbage collector and kubectl read it.
 *
 * @public
 */
export function controllerRef(
  metadata: V1ObjectMeta | undefined,
): V1OwnerReference | undefined {
  return metadata?.ownerReferences?.find(ref => ref.controller === true);
}

/**
 * The PVC names a pod spec mounts. A generic ephemeral volume is a PVC too: the ephemeral volume
 * controller names it `<pod>-<volume>`, so it is only known for a pod, not for a template.
 *
 * @public
 */
export function claimsOfPodSpec(
  spec: V1PodSpec | undefined,
  podName?: string,
): string[] {
  const claims: string[] = [];
  for (const volume of spec?.volumes ?? []) {
    if (volume.persistentVolumeClaim?.claimName) {
      claims.push(volume.persistentVolumeClaim.claimName);
    } else if (volume.ephemeral && podName) {
      claims.push(`${podName}-${volume.name}`);
    }
  }
  return claims;
}

/** @public */
export function mountsClaim(
  spec: V1PodSpec | undefined,
  claimName: string,
  podName?: string,
): boolean {
  return claimsOfPodSpec(spec, podName).includes(claimName);
}

/**
 * Whether `claimName` is one of the PVCs a StatefulSet's volumeClaimTemplate creates.
 *
 * @public
 */
export function isStatefulSetClaim(
  claimName: string,
  template: string,
  statefulSet: string,
): boolean {
  const prefix = `${template}-${statefulSet}-`;
  return (
    claimName.startsWith(prefix) && /^\d+$/.test(claimName.slice(prefix.length))
  );
}

/** @public */
export const isFinished = (p: V1Pod) =>
  p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/**
 * The snapshot without the pods a transfer made itself (its client pods mount the source claim too).
 *
 * @public
 */
export function withoutPodsOf(
  snapshot: NamespaceSnapshot,
  transferId: string,
): NamespaceSnapshot {
  return {
    ...snapshot,
    pods: snapshot.pods.filter(
      p => p.metadata?.labels?.[LABEL_TRANSFER_ID] !== transferId,
    ),
  };
}
