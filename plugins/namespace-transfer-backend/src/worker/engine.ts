import type { KubeConfig } from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import type {
  TransferRunOptions,
  TransferRunResult,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import { transferSpec } from '../service/spec';
import type { Transfer } from '../store';
import type { WorkerConfig } from './config';

/** The engine's entry point as the worker calls it (runTransfer; a fake at this boundary in unit tests). */
export type RunTransfer = (o: TransferRunOptions) => Promise<TransferRunResult>;

/**
 * What the engine is asked to do for a stored transfer: the workflow's spec (the attempt's engine id, so a
 * retry's objects never meet an earlier attempt's; the destination entity's labels), without a mover image
 * a stored option might name: the image is the operator's (runTransfer's `image`).
 */
export function specOf(t: Transfer): TransferSpec {
  const spec = transferSpec(t);
  const { image: _requesterImage, ...options } = spec.options ?? {};
  return { ...spec, options };
}

/**
 * A request that waits in `staged` for its cut over: it set a time, or asked to stage. (The engine's own
 * `stage` default, a staging sync inside one run, applies when a request does not say.)
 */
export function waitsForCutover(t: Transfer): boolean {
  return t.cutoverAt !== undefined || t.options.stage === true;
}

/** A cut over is due once its time came: a requested time was moved into a maintenance window at stage. */
export function cutoverDue(t: Transfer, now: Date): boolean {
  return t.cutoverAt !== undefined && t.cutoverAt.getTime() <= now.getTime();
}

export interface RunInputs {
  transfer: Transfer;
  kubeConfig: (cluster: string) => KubeConfig;
  config: WorkerConfig;
  now: Date;
}

/**
 * The options of one run, without its callbacks and signals. A transfer with a checkpoint resumes with the
 * plan it ran by; one without plans again against the approved plan (a change stops it for approval).
 */
export function runOptionsOf(
  r: RunInputs,
): Omit<
  TransferRunOptions,
  'signal' | 'handOver' | 'onEvent' | 'onCheckpoint'
> {
  const t = r.transfer;
  const resume = t.checkpoint !== undefined;
  const stage =
    waitsForCutover(t) && !cutoverDue(t, r.now) && !t.cancelRequested;
  return {
    spec: specOf(t),
    source: r.kubeConfig(t.source.cluster),
    destination: r.kubeConfig(t.destination.cluster),
    ingressDomain: r.config.engine.ingressDomain,
    loadBalancer: r.config.engine.loadBalancer,
    image: r.config.engine.image,
    moverResources: r.config.engine.moverResources,
    outageBudgetMs: r.config.outageBudgetMs,
    ...(resume
      ? { checkpoint: t.checkpoint, plan: t.runPlan ?? t.plan }
      : { approvedPlan: t.plan }),
    ...(stage ? { until: 'staged' as const } : {}),
  };
}
