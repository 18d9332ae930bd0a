import type {
  TransferCheckpoint,
  TransferPhase,
} from '@namespace-transfer/plugin-namespace-transfer-common';

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
  type: 'Approved' | 'Ready' | 'Failed';
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
    destinationClaim?: string;
    volumeName?: string;
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
  status?: { phase?: string; message?: string; conditions?: Condition[] };
}
