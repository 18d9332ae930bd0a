/**
 * Wire types of the Kubernetes objects the controllers handle. client-node's model classes describe the API
 * exactly, but they type timestamps as Date because its typed clients deserialize them; the controllers speak
 * plain JSON (watch events are never deserialized by client-node), so timestamps are strings on the wire.
 */
import type * as k from '@kubernetes/client-node';

export type Json<T> = T extends Date
  ? string
  : T extends Array<infer U>
    ? Array<Json<U>>
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

export type ObjectMeta = Json<k.V1ObjectMeta>;
export type OwnerReference = Json<k.V1OwnerReference>;
export type LabelSelector = Json<k.V1LabelSelector>;

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export type PersistentVolume = Json<k.V1PersistentVolume>;
export type PersistentVolumeClaim = Json<k.V1PersistentVolumeClaim>;
export type StorageClass = Json<k.V1StorageClass>;
export type Pod = Json<k.V1Pod>;
export type PodTemplateSpec = Json<k.V1PodTemplateSpec>;
export type Node = Json<k.V1Node>;
export type Namespace = Json<k.V1Namespace>;
export type Service = Json<k.V1Service>;
export type Endpoints = Json<k.V1Endpoints>;
export type EndpointSubset = Json<k.V1EndpointSubset>;
export type EndpointSlice = Json<k.V1EndpointSlice>;
export type CoreEvent = Json<k.CoreV1Event>;
export type Deployment = Json<k.V1Deployment>;
export type ReplicaSet = Json<k.V1ReplicaSet>;
export type StatefulSet = Json<k.V1StatefulSet>;
export type DaemonSet = Json<k.V1DaemonSet>;
export type Job = Json<k.V1Job>;
export type CronJob = Json<k.V1CronJob>;
export type Condition = {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string;
};

export interface ListResult<T> {
  metadata?: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** `namespace/name` for namespaced objects, `name` for cluster-scoped ones, as client-go's cache keys. */
export function keyOf(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${obj.metadata?.name}` : `${obj.metadata?.name}`;
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0
    ? { name: key }
    : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export function nowIso(): string {
  // The API serializes metav1.Time with second precision (RFC 3339).
  return new Date(Math.floor(Date.now() / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
}
