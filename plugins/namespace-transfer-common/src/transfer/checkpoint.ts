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
  /**
   * Set once the flow's point of no return is done: from then on nothing is rolled back, a failure is
   * resumed rather than retried and a cancel is refused. Recorded here so that whoever stores the
   * checkpoint knows it after a crash without knowing the flow's steps. Absent before that point (and in
   * checkpoints of engines older than the field).
   */
  pastPointOfNoReturn?: boolean;
}
