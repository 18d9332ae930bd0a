import type { KubeConfig } from '@kubernetes/client-node';
import type {
  Plan,
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type { CopyEvent } from '../copy';
import type { MoverResourceOptions } from '../pods/resources';

/**
 * What one run of a transfer reports: the flows' events, plus the plan it runs with.
 *
 * @public
 */
export type TransferRunEvent = CopyEvent | { type: 'plan'; plan: Plan };

/**
 * One run of one transfer, as the CLI and the backend's worker start it.
 *
 * @public
 */
export interface TransferRunOptions {
  spec: TransferSpec;
  source: KubeConfig;
  destination: KubeConfig;
  /** the environment the plan may count on */
  ingressDomain?: string;
  loadBalancer?: boolean;
  /** mover image and resources are the operator's, never the requester's */
  image?: string;
  moverResources?: MoverResourceOptions;
  outageBudgetMs?: number;
  /** a resume: the checkpoint of an earlier run and the plan it ran with (kept: the fresh one would differ) */
  checkpoint?: TransferCheckpoint;
  plan?: Plan;
  /**
   * The plan people approved. A run that has no checkpoint yet plans again and stops with outcome
   * `plan-changed` (creating nothing) when the fresh plan differs from this one in substance.
   */
  approvedPlan?: Plan;
  /** `staged`: stop after one more staging sync (copy only) */
  until?: 'staged';
  /**
   * cancel: stops at the next step boundary up to the point of no return and rolls back; past it, the run
   * finishes. Already aborted when a resume starts, the run rolls back from the checkpoint.
   */
  signal?: AbortSignal;
  /**
   * Hand over: stops at once without rolling back anything; mover pods may keep running. A later run
   * given the last checkpoint re-attaches to what is there. (A rollback already under way when it comes
   * is finished first, and the run ends as that rollback did.)
   */
  handOver?: AbortSignal;
  onEvent?: (e: TransferRunEvent) => void;
  /** after every finished step; awaited before the next step starts */
  onCheckpoint?: (
    checkpoint: TransferCheckpoint,
    about: { pastPointOfNoReturn: boolean },
  ) => void | Promise<void>;
}

/**
 * What a plan of a run depends on: the transfer and the environment (writes nothing).
 *
 * @public
 */
export type TransferPlanOptions = Pick<
  TransferRunOptions,
  | 'spec'
  | 'source'
  | 'destination'
  | 'ingressDomain'
  | 'loadBalancer'
  | 'moverResources'
>;

/**
 * How a run ended.
 *
 * @public
 */
export type TransferRunOutcome =
  | 'succeeded'
  | 'staged'
  /** the plan refuses: nothing was created */
  | 'refused'
  /** the fresh plan differs from the approved one in substance: nothing was created */
  | 'plan-changed'
  | 'failed'
  | 'cancelled'
  | 'handed-over';

/** @public */
export interface TransferRunResult {
  outcome: TransferRunOutcome;
  plan?: Plan;
  mode?: 'copy' | 'rebind';
  /** the last checkpoint: what a resume continues from */
  checkpoint?: TransferCheckpoint;
  /** rolling back would lose data: a failure is resumed, not retried, and a cancel is refused */
  pastPointOfNoReturn: boolean;
  /**
   * A rebind that failed after its point of no return gave the volume back to a re-created source claim:
   * the source is as it was, so `pastPointOfNoReturn` is false again and the failure is retried (the
   * transfer starts over), never resumed.
   */
  givenBack?: boolean;
  /**
   * The run failed before its point of no return without rolling back (a cluster did not answer, so a
   * rollback would have stopped half-way): its objects stay on the clusters and the source's workloads may
   * still be stopped. Resume it from the checkpoint, which continues (or, cancelled, rolls back); a new
   * attempt would leave them behind.
   */
  leftForResume?: boolean;
  /** for `plan-changed`: what differs, one line each, for the people who approve again */
  planChanges?: string[];
  downtimeMs?: number;
  bytes?: number;
  files?: number;
  verified?: { files?: number; bytes?: number; mode: string };
  /** for refused, failed, cancelled: one line a person reads */
  error?: string;
  durationMs: number;
}
