/**
 * A pod that mounts a volume.
 *
 * @public
 */
export interface VolumePodRef {
  name: string;
  /** Pod phase as the cluster reports it (Pending, Running, Succeeded, Failed, Unknown). */
  phase?: string;
  nodeName?: string;
}

/**
 * A workload that uses a volume: the top of a pod's ownerReferences chain (pod → ReplicaSet → Deployment,
 * pod → StatefulSet, pod → Job → CronJob, ...) or a workload whose pod template mounts the claim even while
 * it runs no pods.
 *
 * @public
 */
export interface VolumeWorkloadRef {
  apiVersion: string;
  kind: string;
  name: string;
  /** desired replicas where the kind has them; 0 means the workload is scaled down (a CronJob: suspended) */
  replicas?: number;
  /** the transfer that scaled it down and still holds it (its quiesced-by annotation) */
  quiescedBy?: string;
  /** when that transfer stopped it (RFC 3339, its quiesced-at annotation) */
  quiescedAt?: string;
}

/**
 * Something that uses a volume and that a transfer cannot stop and give back: a pod without a controller,
 * a Job still running, a controller owned by something the engine does not know (an operator's resource).
 *
 * @public
 */
export interface VolumeUnstoppableUser {
  kind: string;
  name: string;
  /** why it cannot be stopped, and what a person can do about it */
  reason: string;
}

/**
 * Where a moved claim's data went (the claim's transferred-to and transfer-id annotations).
 *
 * @public
 */
export interface VolumeTransferredTo {
  /** `cluster/namespace/name` of the claim that holds the data now */
  destination: string;
  /** the transfer that moved it */
  transferId: string;
}

/**
 * Where the transferable decision came from.
 *
 * @public
 */
export type TransferableSource =
  'pvc-annotation' | 'namespace-annotation' | 'default';

/** @public */
export interface TransferableInfo {
  transferable: boolean;
  source: TransferableSource;
  /** a sentence a person can read */
  reason: string;
}

/**
 * A PersistentVolumeClaim as seen on one cluster.
 *
 * @public
 */
export interface Volume {
  cluster: string;
  namespace: string;
  name: string;
  uid?: string;
  /** status.capacity.storage once bound, else the requested size */
  capacity?: string;
  /** spec.resources.requests.storage */
  requested?: string;
  /** spec.storageClassName; undefined when the claim names none (cluster default applies at creation) */
  storageClass?: string;
  /** Pending, Bound or Lost; 'Terminating' when a deletion is in progress */
  phase: string;
  accessModes: string[];
  volumeMode?: string;
  /** the bound PersistentVolume */
  volumeName?: string;
  createdAt?: string;
  usedBy: {
    /** every pod that mounts the claim, running or finished */
    pods: VolumePodRef[];
    /** the controllers a transfer stops, then the ones it cannot stop (also in `unstoppable`) */
    workloads: VolumeWorkloadRef[];
    /** the users a transfer cannot stop: a transfer of this volume is refused until they are gone */
    unstoppable?: VolumeUnstoppableUser[];
  };
  transferable: TransferableInfo;
  /** set on a source claim a finished move left behind: its data lives on elsewhere */
  transferredTo?: VolumeTransferredTo;
}

/**
 * The annotation by which a PVC or a whole namespace opts in or out of transfers.
 *
 * @public
 */
export const TRANSFERABLE_ANNOTATION = 'namespace-transfer.io/transferable';
