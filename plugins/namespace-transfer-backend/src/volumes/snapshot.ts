import { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { NamespaceSnapshot } from '@namespace-transfer/plugin-namespace-transfer-node';

/**
 * Everything of one namespace that decides which PVCs exist and who uses them: the engine's snapshot of
 * pods and controllers (the same one its quiesce resolves users from) plus the claims themselves and the
 * namespace's annotations.
 */
export interface VolumesSnapshot extends NamespaceSnapshot {
  /** annotations of the Namespace object; undefined when it could not be read */
  namespaceAnnotations?: Record<string, string>;
  pvcs: V1PersistentVolumeClaim[];
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
