/**
 * What a caller asks the engine to do for one PVC. The engine turns this into a Plan (plan.ts) before any
 * object is created; every optional field has a default the plan reports.
 */

/**
 * `rebind` hands the PersistentVolume over (same cluster, O(1)); `copy` moves the bytes; `auto` decides.
 *
 * @public
 */
export type TransferMode = 'copy' | 'rebind' | 'auto';
/** @public */
export const TRANSFER_MODES: readonly TransferMode[] = [
  'copy',
  'rebind',
  'auto',
];

/**
 * `move`: the source workloads stay scaled down and the source PVC is marked as transferred;
 * `clone`: the source workloads are restored after the final sync.
 *
 * @public
 */
export type TransferIntent = 'move' | 'clone';
/** @public */
export const TRANSFER_INTENTS: readonly TransferIntent[] = ['move', 'clone'];

/**
 * Data movers (Crane's "Transfer").
 *
 * @public
 */
export type MoverKind = 'rsync' | 'rclone';
/** @public */
export const MOVER_KINDS: readonly MoverKind[] = ['rsync', 'rclone'];

/**
 * Encrypted channels (Crane's "Transport"); `null` only for movers that encrypt by themselves.
 *
 * @public
 */
export type TransportKind = 'stunnel' | 'null';
/** @public */
export const TRANSPORT_KINDS: readonly TransportKind[] = ['stunnel', 'null'];

/**
 * How the destination's server pod is exposed to the source's client pod (Crane's "Endpoint").
 *
 * @public
 */
export type EndpointKind =
  'clusterip' | 'nodeport' | 'loadbalancer' | 'ingress' | 'route';
/** @public */
export type EndpointChoice = EndpointKind | 'auto';
/** @public */
export const ENDPOINT_KINDS: readonly EndpointKind[] = [
  'clusterip',
  'nodeport',
  'loadbalancer',
  'ingress',
  'route',
];

/**
 * How much of the data the verify step checksums after the final sync.
 *
 * @public
 */
export type VerifyMode = 'none' | 'sample' | 'full';

/** @public */
export interface PvcRef {
  cluster: string;
  namespace: string;
  name: string;
}

/** @public */
export interface TransferOptions {
  mover?: MoverKind;
  transport?: TransportKind;
  endpoint?: EndpointChoice;
  /** Whether the engine may scale down the workloads that mount the source PVC. Default true. */
  quiesce?: boolean;
  verify?: VerifyMode;
  /** Share of files checksummed when verify is `sample` (0..1]. */
  verifySampleRatio?: number;
  /** Delete the source PVC after a verified `move`. Default false. */
  deleteSource?: boolean;
  /** Run a first sync while the application keeps running, then cut over. Default true for copy. */
  stage?: boolean;
  /** Mover client attempts before giving up (each with backoff). */
  maxAttempts?: number;
  /** Ingress class for the `ingress` endpoint. */
  ingressClassName?: string;
  /** Overrides of the identity the files land as (else taken from the destination, see permissions). */
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  /** Container image that holds rsync/stunnel/rclone for the mover pods. */
  image?: string;
}

/** @public */
export interface TransferSpec {
  /** Stable id: the engine derives object names and labels from it. Lowercase DNS label characters. */
  id: string;
  source: PvcRef;
  destination: PvcRef & {
    /** Storage class of the destination PVC; default: mapped from the source's. */
    storageClassName?: string;
    /** Requested size (Kubernetes quantity); default: the source's capacity, written as the source has it. */
    size?: string;
    /**
     * Labels of the destination claim, over the ones it takes over from the source claim (e.g. the label
     * that makes it appear under its catalog entity).
     */
    labels?: Record<string, string>;
  };
  mode: TransferMode;
  intent: TransferIntent;
  options?: TransferOptions;
}
