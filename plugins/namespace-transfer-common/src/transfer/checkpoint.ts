import type { TransferPhase } from './phases';

/**
 * What a new engine process needs to continue a transfer without redoing finished work. Holds no key
 * material (that lives only in Kubernetes Secrets): anything secret is re-read from the cluster.
 *
 * @public
 */
export interface TransferCheckpoint {
  transferId: string;
  /** bumped when the shape changes, so an old checkpoint is refused instead of misread */
  version: 1;
  phase: TransferPhase;
  /** names of completed steps, in order */
  completedSteps: string[];
  /** facts a later step needs (e.g. recorded replicas, endpoint address); plain JSON */
  state: Record<string, unknown>;
  updatedAt: string;
}
