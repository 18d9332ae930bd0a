import {
  V1ObjectMeta,
  V1OwnerReference,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodSpec,
} from '@kubernetes/client-node';

/**
 * Any controller that makes pods, normalized: list responses carry no apiVersion/kind on their items, and
 * the pod spec sits at a different depth per kind (CronJob → jobTemplate → template).
 */
export interface WorkloadObject {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta;
  podSpec?: V1PodSpec;
  /** desired replicas for kinds that have them */
  replicas?: number;
  /** StatefulSet volumeClaimTemplates names: they create PVCs `<template>-<statefulset>-<ordinal>` */
  claimTemplates?: string[];
}

/** Everything of one namespace that decides which PVCs exist and who uses them. */
export interface NamespaceSnapshot {
  namespace: string;
  /** annotations of the Namespace object; undefined when it could not be read */
  namespaceAnnotations?: Record<string, string>;
  pvcs: V1PersistentVolumeClaim[];
  pods: V1Pod[];
  workloads: WorkloadObject[];
}

/** Keys of the objects that carry the entity's label selector, as the API server selected them. */
export interface LabelledKeys {
  pvcs: Set<string>;
  pods: Set<string>;
  workloads: Set<string>;
}

export const objectKey = (
  namespace: string | undefined,
  name: string | undefined,
) => `${namespace}/${name}`;
export const workloadKey = (
  kind: string,
  namespace: string | undefined,
  name: string | undefined,
) => `${kind}/${namespace}/${name}`;

/** The ownerReference that marks the managing controller, as the garbage collector and kubectl read it. */
export function controllerRef(
  metadata: V1ObjectMeta | undefined,
): V1OwnerReference | undefined {
  return metadata?.ownerReferences?.find(ref => ref.controller === true);
}
