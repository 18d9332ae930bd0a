import type {
  TransferCheckpoint,
  TransferPhase,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type { RebindEvent } from '../rebind/types';

/**
 * The KEP objects as deploy/crds defines them (group transfer.namespace-transfer.io, v1alpha1).
 *
 * @public
 */
export const KEP_GROUP = 'transfer.namespace-transfer.io';
/** @public */
export const KEP_VERSION = 'v1alpha1';
/** @public */
export const REQUESTS = 'namespacetransferrequests';
/** @public */
export const APPROVALS = 'namespacetransferapprovals';

/** @public */
export interface ObjectMeta {
  name: string;
  namespace: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
}

/** @public */
export interface Condition {
  type: 'Approved' | 'Matched' | 'Progressing' | 'Ready' | 'Failed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** @public */
export interface NamespaceTransferRequest {
  apiVersion: `${typeof KEP_GROUP}/${typeof KEP_VERSION}`;
  kind: 'NamespaceTransferRequest';
  metadata: ObjectMeta;
  spec: {
    source: { name: string; namespace: string; kind: string };
    /** the claim made in the request's namespace; default the source's name */
    targetName?: string;
  };
  status?: {
    /** Pending until approved, then the engine's phases (Rebinding, ..., Succeeded / Failed) */
    phase?: 'Pending' | TransferPhase;
    message?: string;
    /** namespace/name of the claim that receives the volume: fixed once a run started */
    destinationClaim?: string;
    volumeName?: string;
    /**
     * runs that ended (succeeded, failed or are retried); a run stopped or handed over does not count. A
     * transient failure is retried up to the controller's maxAttempts (past the point of no return, always)
     */
    attempts?: number;
    startTime?: string;
    completionTime?: string;
    observedGeneration?: number;
    checkpoint?: TransferCheckpoint;
    conditions?: Condition[];
  };
}

/** @public */
export interface NamespaceTransferApproval {
  apiVersion: `${typeof KEP_GROUP}/${typeof KEP_VERSION}`;
  kind: 'NamespaceTransferApproval';
  metadata: ObjectMeta;
  spec: {
    source: { name: string; kind: string };
    targetNamespace: string;
  };
  status?: ApprovalStatus;
}

/**
 * What the controller writes on an approval: the request it approves, and whether that request is still
 * under way (Matched) or has its volume (Used).
 *
 * @public
 */
export interface ApprovalStatus {
  phase?: 'Pending' | 'Matched' | 'Used';
  message?: string;
  matchedRequest?: { namespace: string; name: string; uid?: string };
  observedGeneration?: number;
  conditions?: Condition[];
}

/**
 * One transfer the controller runs for a request: what a host (the backend) records about it. The same
 * request keeps its id across attempts, controller restarts and leader changes.
 *
 * @public
 */
export interface KepTransfer {
  /** `kep-<request uid>` (transferIdOf): the engine's transfer id */
  id: string;
  requestUid: string;
  /** the controller's clusterName */
  cluster: string;
  request: {
    namespace: string;
    name: string;
    generation?: number;
    creationTimestamp?: string;
  };
  /** the approval that matched; absent when a run past its point of no return resumes without one */
  approval?: { namespace: string; name: string; uid?: string };
  source: { namespace: string; name: string };
  /** the claim that receives the volume */
  destination: { namespace: string; name: string };
  /** the destination claim was made by the user (its dataSourceRef names the request) and is adopted */
  adopted: boolean;
  /** 1 for the first run, counting on with each retry after a failure (not after a stop or hand-over) */
  attempt: number;
  /** the checkpoint this attempt continues from (a restart, a new leader) */
  resumedFrom?: TransferCheckpoint;
}

/**
 * How a run of a request ended, as far as this controller is concerned.
 *
 * @public
 */
export type KepOutcome =
  | {
      state: 'succeeded';
      volumeName: string;
      downtimeMs: number;
      checkpoint: TransferCheckpoint;
    }
  | {
      state: 'failed';
      /** the condition reason written to the request's status */
      reason:
        | 'PreconditionsFailed'
        | 'DestinationClaimRefused'
        | 'TransferFailed'
        | 'RetriesExhausted';
      message: string;
      checkpoint?: TransferCheckpoint;
    }
  /** stopped before the point of no return (shutdown) or at once (leadership lost): another run resumes it */
  | { state: 'handedOver'; checkpoint?: TransferCheckpoint };

/**
 * Callbacks through which a host follows the transfers the controller runs, as runCopy/runRebind report
 * through onEvent/onCheckpoint. A hook that throws is logged and does not change the run.
 *
 * @public
 */
export interface KepHooks {
  /** before each attempt's engine run; awaited */
  started?(t: KepTransfer): void | Promise<void>;
  /** the engine's events (phases, warnings, step progress) */
  event?(t: KepTransfer, e: RebindEvent): void;
  /** after the checkpoint is in the request's status; awaited */
  checkpoint?(t: KepTransfer, c: TransferCheckpoint): void | Promise<void>;
  /** a transient failure: the request is queued again after delayMs (attempt is the one that failed) */
  retrying?(
    t: KepTransfer,
    r: { message: string; delayMs: number },
  ): void | Promise<void>;
  /** once per attempt that ends (not called for an attempt that is retried: see retrying); awaited */
  ended?(t: KepTransfer, o: KepOutcome): void | Promise<void>;
}
