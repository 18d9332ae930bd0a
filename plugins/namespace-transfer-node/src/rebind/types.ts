import type {
  KubeConfig,
  V1PersistentVolumeClaimSpec,
} from '@kubernetes/client-node';
import type {
  Refusal,
  TransferCheckpoint,
  TransferSpec,
  WorkloadRef,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type { CopyEvent } from '../copy/types';

/**
 * Rebind reports through the same event shape as the copy flow (no progress samples: nothing is copied).
 *
 * @public
 */
export type RebindEvent = CopyEvent;

/** @public */
export interface RebindOptions {
  spec: TransferSpec;
  /** source and destination are one cluster: a volume cannot be handed to another one */
  kubeConfig: KubeConfig;
  onEvent?: (e: RebindEvent) => void;
  onCheckpoint?: (c: TransferCheckpoint) => void | Promise<void>;
  checkpoint?: TransferCheckpoint;
  /** honoured until the source claim is deleted; after that the run finishes (or puts the source back) */
  signal?: AbortSignal;
  /**
   * Hand-over: stops at once, past the point of no return too, putting nothing back; a later run given
   * the last checkpoint carries on from what is there.
   */
  handOver?: AbortSignal;
  /**
   * A stop (a controller shutting down): aborted before the point of no return (POINT_OF_NO_RETURN)
   * starts, the run stops as at a hand-over (nothing put back; the last checkpoint resumes it), and waits
   * before that point end on it; once that step has started it is ignored and the run finishes.
   */
  stopBeforePointOfNoReturn?: AbortSignal;
  /**
   * The destination claim already exists, made by the user (the KEP's story: a claim whose dataSourceRef
   * names the request), and the volume is bound to it instead of to a claim the run creates. Checked by
   * the precondition DestinationClaimFits; a give-back never deletes it. A resumed run follows what its
   * checkpoint recorded, whatever this says.
   */
  adoptDestination?: boolean;
  /** whether a storage class without the allow-transfer annotation allows rebind (default false) */
  allowTransferDefault?: boolean;
  /** source PVC labels copied to the destination claim (default: all) */
  keepLabels?: string[];
  timeouts?: { quiesceMs?: number; deleteMs?: number; bindMs?: number };
  /**
   * How long the cluster may not answer at all before the run stops; it then fails without putting
   * anything back and can be resumed. Default 5 minutes (as a copy's).
   */
  outageBudgetMs?: number;
}

/** What the destination claim is made from, recorded before the source goes (a resumed run needs it). */
export interface SourceRecord {
  uid: string;
  volumeName: string;
  spec: Pick<
    V1PersistentVolumeClaimSpec,
    'accessModes' | 'storageClassName' | 'volumeMode' | 'resources'
  >;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface PreconditionState {
  workloads: WorkloadRef[];
  volumeName: string;
  /** the user's destination claim the volume goes to, by the uid it had when the preconditions passed */
  adopted?: { uid: string };
}

/** @public */
export interface RebindResult {
  checkpoint: TransferCheckpoint;
  volumeName: string;
  /** quiesce to bound (0 when nothing had to be stopped) */
  downtimeMs: number;
}

/**
 * A refused precondition, named so that the UI, CLI and the KEP status can say which one.
 *
 * @public
 */
export interface PreconditionFailure extends Refusal {
  precondition:
    | 'SourceBound'
    | 'ClaimRefPointsBack'
    | 'NotInUse'
    | 'NotOptedOut'
    | 'StorageClassAllows'
    | 'DestinationNamespaceExists'
    | 'DestinationNameFree'
    | 'DestinationClaimFits'
    | 'VolumeNotHeld'
    | 'SameCluster'
    | 'IntentIsMove'
    | 'QuotaAllows'
    | 'RightsGranted';
}

/** @public */
export class RebindRefusedError extends Error {
  constructor(
    readonly transferId: string,
    readonly failures: PreconditionFailure[],
  ) {
    super(
      `rebind ${transferId} refused: ${failures.map(f => `${f.precondition}: ${f.message}`).join('; ')}`,
    );
    this.name = 'RebindRefusedError';
  }
}
