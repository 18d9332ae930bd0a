import type { KubeConfig } from '@kubernetes/client-node';
import type {
  Plan,
  ProgressSample,
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { version } from '../../package.json';
import type { StepEvent } from '../steps';
import type { MoverRunResult } from '../transfer';

/** @public */
export type CopyEvent =
  | StepEvent
  | { type: 'progress'; run: string; sample: ProgressSample }
  | { type: 'warning'; message: string }
  /** a cluster stopped answering, or answers again (the transfer waits for it; see outageBudgetMs) */
  | {
      type: 'cluster';
      state: 'unreachable' | 'reachable';
      cluster: string;
      since: string;
      error?: string;
      message: string;
    };

/** @public */
export interface CopyOptions {
  spec: TransferSpec;
  plan: Plan;
  source: KubeConfig;
  destination: KubeConfig;
  /** image with rsync, stunnel, rclone and the scripts' shell tools (default DEFAULT_IMAGE) */
  image?: string;
  /** for the ingress endpoint: hosts are `<name>.<ingressDomain>` */
  ingressDomain?: string;
  /** pod specs of the source workloads (the client runs as their identity) */
  sourcePodSpecs?: import('@kubernetes/client-node').V1PodSpec[];
  onEvent?: (e: CopyEvent) => void;
  onCheckpoint?: (c: TransferCheckpoint) => void | Promise<void>;
  checkpoint?: TransferCheckpoint;
  /** cancel: honoured until the destination is verified, then rolls back */
  signal?: AbortSignal;
  /**
   * Hand-over: stops at once, also inside a step and past the point of no return, and rolls back nothing;
   * the pods it made keep running. A later run given the last checkpoint finds and adopts them.
   */
  handOver?: AbortSignal;
  timeouts?: {
    endpointMs?: number;
    podReadyMs?: number;
    syncMs?: number;
    quiesceMs?: number;
  };
  /**
   * `staged`: stop after one more staging sync while the application keeps running (repeatable: each call
   * with the returned checkpoint runs stage-2, stage-3, ...); nothing is cleaned up. Without it, the run
   * goes on through cutover (quiesce, final delta sync, verify) to the end.
   */
  until?: 'staged';
  /** keep everything the engine made (for debugging a failed test) */
  skipCleanup?: boolean;
  /**
   * How long a cluster may not answer at all (its API server restarting or failing over) before the
   * transfer stops; it then fails without rolling back and can be resumed. Default 5 minutes.
   */
  outageBudgetMs?: number;
}

/** @public */
export interface SyncRunResult {
  run: string;
  result: MoverRunResult;
  /** the pod's whole run; 0 for a result that came out of another run's pod (see `within`) */
  durationMs: number;
  /** this run happened inside that run's pod (the comparison after the final sync) */
  within?: string;
}

/** @public */
export interface CopyResult {
  /** the mover runs of this process (a resumed run does not repeat earlier ones) */
  syncs: SyncRunResult[];
  checkpoint: TransferCheckpoint;
  /** quiesce start to verified (0 when nothing had to be stopped) */
  downtimeMs: number;
  verified?: { files?: number; bytes?: number; mode: string };
}

/**
 * The project's mover image (deploy/images/mover) at the version of this package, so that an engine
 * runs the scripts' tools it was tested with. Overridden by `namespaceTransfer.mover.image` in the
 * backend's config and `nstransfer --image`. As with the npm scope, the registry namespace must be the
 * project's before anyone pulls from it.
 *
 * @public
 */
export const DEFAULT_IMAGE = `ghcr.io/namespace-transfer/mover:${version}`;
