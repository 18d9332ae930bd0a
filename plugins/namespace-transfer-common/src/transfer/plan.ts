import type {
  EndpointKind,
  MoverKind,
  PvcRef,
  TransferIntent,
  TransportKind,
} from './spec';

/**
 * Every reason the engine refuses a transfer before creating anything.
 *
 * @public
 */
export type RefusalCode =
  | 'SourceMissing'
  | 'SourceNotBound'
  | 'DestinationExists'
  | 'DestinationTooSmall'
  | 'StorageClassUnknown'
  | 'StorageClassDisallowsTransfer'
  | 'OptedOut'
  | 'InUseQuiesceDisallowed'
  | 'InUseUnstoppable'
  | 'SourceInTransfer'
  | 'RebindImpossible'
  | 'NoEndpoint'
  | 'MoverNotSupported'
  | 'InsecureTransport'
  | 'DestinationNamespaceMissing'
  /** the engine's identity lacks a right the chosen flow needs, in either namespace */
  | 'MissingPermission'
  /** a ResourceQuota or LimitRange would refuse the destination claim or a mover pod */
  | 'QuotaExceeded'
  | 'InvalidSpec';

/** @public */
export interface Refusal {
  code: RefusalCode;
  message: string;
}

/** @public */
export interface WorkloadRef {
  kind:
    | 'Deployment'
    | 'StatefulSet'
    | 'ReplicaSet'
    | 'DeploymentConfig'
    | 'CronJob'
    | 'Job'
    | 'Pod'
    | 'DaemonSet';
  namespace: string;
  name: string;
  /** replicas (or `suspend` as 0/1 for a CronJob) before the transfer */
  replicas?: number;
}

/** @public */
export interface Identity {
  runAsUser: number;
  runAsGroup: number;
  fsGroup?: number;
  /** where the numbers came from, for the plan's explanation */
  source:
    | 'override'
    | 'destination-workload'
    | 'namespace-uid-range'
    | 'source-workload'
    | 'default';
  /** files are made group-writable because the platform runs containers as arbitrary UIDs */
  groupWritable: boolean;
}

/**
 * Requests and limits of one mover container, as Kubernetes quantities.
 *
 * @public
 */
export interface MoverContainerResources {
  requests: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
}

/** @public */
export interface Plan {
  transferId: string;
  source: PvcRef & {
    capacityBytes?: number;
    usedBytes?: number;
    storageClassName?: string;
    accessModes: string[];
    volumeName?: string;
  };
  destination: PvcRef & {
    storageClassName?: string;
    /** the size the request asked for, as given (a Kubernetes quantity) */
    size?: string;
    sizeBytes?: number;
    /** labels the destination claim gets, e.g. the one that makes it appear under its catalog entity */
    labels?: Record<string, string>;
    exists: boolean;
  };
  mode: 'copy' | 'rebind';
  /** what will happen and why, in one sentence (especially for `auto`) */
  modeReason: string;
  /** why the other mode was not chosen */
  otherMode?: { mode: 'copy' | 'rebind'; whyNot: string };
  intent: TransferIntent;
  mover: MoverKind;
  transport: TransportKind;
  endpoint?: EndpointKind;
  endpointReason?: string;
  identity?: Identity;
  /** what quiesce stops: the top controllers of everything that uses the source claim */
  workloads: WorkloadRef[];
  /** the pods that use the source claim when planned (running or starting), and finished ones naming it */
  usedBy?: { pods: string[]; finishedPods: string[] };
  podSecurity: { source?: string; destination?: string };
  /** each mover container's resources in the pods of each side (copy): what the quotas were checked against */
  moverResources?: {
    source: MoverContainerResources;
    destination: MoverContainerResources;
  };
  estimatedSeconds?: number;
  estimatedDowntimeSeconds?: number;
  warnings: string[];
  refusals: Refusal[];
  /** true when `refusals` is empty */
  allowed: boolean;
}
