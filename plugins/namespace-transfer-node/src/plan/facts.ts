import type {
  V1Namespace,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodSpec,
  V1StorageClass,
} from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { EndpointFacts } from '../endpoint';
import type { ClaimWorkload, UnstoppableUser } from '../usage';
import type { RightsFacts } from './rights';
import type { QuotaFacts } from './quota';

/**
 * A workload that mounts the source PVC, with the pod template it runs.
 *
 * @public
 */
export type WorkloadFact = ClaimWorkload;

/**
 * Everything the planner needs, gathered from the two clusters beforehand (gathering is a separate
 * step, so that planning is a pure function the UI and CLI can show before anything runs).
 *
 * @public
 */
export interface PlanFacts {
  spec: TransferSpec;
  source: {
    pvc?: V1PersistentVolumeClaim;
    pv?: V1PersistentVolume;
    namespace?: V1Namespace;
    /** bytes in use, when something measured them (e.g. kubelet volume stats) */
    usedBytes?: number;
    storageClasses: V1StorageClass[];
  };
  /** pods that currently mount the source PVC */
  sourcePods: V1Pod[];
  /**
   * finished pods (Succeeded/Failed) that still name the source PVC: they use no data, but until they are
   * deleted the claim's pvc-protection finalizer keeps it from going, so a rebind would hang
   */
  finishedSourcePods?: V1Pod[];
  /**
   * whether rebind is allowed for a storage class without the allow-transfer annotation (the config
   * default; the same as runRebind's `allowTransferDefault`, so auto mode and the rebind agree)
   */
  allowTransferDefault?: boolean;
  /** their controllers (Deployment, StatefulSet, ...): what quiesce stops */
  sourceWorkloads: WorkloadFact[];
  /** users of the source PVC the engine cannot stop (a bare pod, a running Job, an operator's workload) */
  sourceUnstoppable?: UnstoppableUser[];
  destination: {
    namespace?: V1Namespace;
    existingPvc?: V1PersistentVolumeClaim;
    /** pod specs of workloads in the destination that will use the new PVC (by claim name) */
    workloadPodSpecs?: V1PodSpec[];
    storageClasses: V1StorageClass[];
  };
  discovery: EndpointFacts;
  /**
   * Facts the engine's identity may not read (a namespace-scoped Role cannot see namespaces, storage
   * classes, PVs, nodes, ingress classes or the Services of all namespaces): the plan warns instead of
   * refusing on them.
   */
  unreadable?: Array<
    | 'sourceNamespace'
    | 'destinationNamespace'
    | 'storageClasses'
    | 'persistentVolume'
    | 'nodes'
    | 'ingressClasses'
    | 'services'
  >;
  /**
   * the rights the chosen flow needs that the clusters said the identities lack (SelfSubjectAccessReview),
   * or why they could not be checked
   */
  rights?: RightsFacts;
  /** the quotas and LimitRanges of the namespaces the transfer creates objects in, and the mover resources */
  quota?: QuotaFacts;
  /** movers measured or assumed throughput, bytes per second */
  throughputBytesPerSecond?: number;
}
