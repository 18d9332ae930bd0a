import type {
  Plan,
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type { PlanFacts } from '../plan';
import {
  planTransferRun,
  REBIND_HAS_NO_STAGING,
  runTransfer,
  type TransferPlanOptions,
  type TransferRunEvent,
  type TransferRunResult,
} from '../run';
import type { Clusters } from './clusters';
import { moverResourceOptions, type EngineFlags } from './flags';
import type { Sink, TransferSummary } from './records';

export const pvcOf = (s: TransferSpec) =>
  `${s.source.namespace}/${s.source.name}`;
export const destinationOf = (s: TransferSpec) =>
  `${s.destination.cluster}/${s.destination.namespace}/${s.destination.name}`;

/** What the engine's plan needs from the clusters and the flags. */
function planOptions(
  spec: TransferSpec,
  c: Clusters,
  f: EngineFlags,
): TransferPlanOptions {
  return {
    spec,
    source: c.source.kc,
    destination: c.destination.kc,
    ingressDomain: f.ingressDomain,
    loadBalancer: f.loadBalancer,
    moverResources: moverResourceOptions(f),
  };
}

/** Reads the facts and plans; writes nothing to either cluster. */
export async function planSpec(
  spec: TransferSpec,
  c: Clusters,
  f: EngineFlags,
): Promise<{ facts: PlanFacts; plan: Plan }> {
  return planTransferRun(planOptions(spec, c, f));
}

export interface ExecuteOptions {
  clusters: Clusters;
  flags: EngineFlags;
  sink: Sink;
  signal: AbortSignal;
  /** stop after one more staging sync (`--stage-only`) */
  until?: 'staged';
  /** from the state file: a cutover or a resumed run continues from these */
  resume?: Map<string, { checkpoint: TransferCheckpoint; plan?: Plan }>;
}

/** Plans and runs one transfer through the engine's runTransfer, reporting every event; never throws. */
export async function executeSpec(
  spec: TransferSpec,
  x: ExecuteOptions,
): Promise<TransferSummary> {
  const about = { transfer: spec.id, pvc: pvcOf(spec) };
  const { sink } = x;
  const onEvent = (e: TransferRunEvent) => {
    if (e.type === 'plan') {
      sink.write({ type: 'plan', ...about, plan: e.plan });
      // the plan line names mode and endpoint only; what preflight could not rule out belongs beside it
      for (const message of e.plan.warnings)
        sink.write({ type: 'warning', ...about, message });
    } else if (e.type === 'progress')
      sink.write({ type: 'progress', ...about, run: e.run, ...e.sample });
    else if (e.type === 'phase')
      sink.write({ type: 'phase', ...about, phase: e.phase, at: e.at });
    else if (e.type === 'step')
      sink.write({ type: 'step', ...about, step: e.step, at: e.at });
    else sink.write({ type: 'warning', ...about, message: e.message });
  };
  const resumed = x.resume?.get(spec.id);
  const r = await runTransfer({
    ...planOptions(spec, x.clusters, x.flags),
    image: spec.options?.image,
    outageBudgetMs: x.flags.outageBudget,
    checkpoint: resumed?.checkpoint,
    plan: resumed?.plan,
    until: x.until,
    signal: x.signal,
    onEvent,
    onCheckpoint: checkpoint =>
      sink.write({ type: 'checkpoint', ...about, checkpoint }),
  });
  return summaryOf(spec, r, x);
}

/** The CLI's result record of a run, as it was before the engine had one entry point (same keys, same order). */
function summaryOf(
  spec: TransferSpec,
  r: TransferRunResult,
  x: ExecuteOptions,
): TransferSummary {
  const base = {
    transfer: spec.id,
    pvc: pvcOf(spec),
    destination: destinationOf(spec),
  };
  const mode = r.mode;
  const durationMs = r.durationMs;
  if (r.outcome === 'succeeded' || r.outcome === 'staged') {
    if (mode === 'rebind')
      return {
        ...base,
        ok: true,
        phase: 'Succeeded',
        mode,
        downtimeMs: r.downtimeMs,
        durationMs,
      };
    return {
      ...base,
      ok: true,
      phase: x.until ? r.checkpoint!.phase : 'Succeeded',
      mode,
      staged: x.until === 'staged' ? true : undefined,
      downtimeMs: r.downtimeMs,
      bytes: r.bytes,
      files: r.files,
      verified: r.verified,
      durationMs,
    };
  }
  // refusals (and a rebind asked to stage) were never a cancel; a failure while cancelling always was
  const notStarted =
    r.outcome === 'refused' || r.error === REBIND_HAS_NO_STAGING;
  const cancelled =
    r.outcome === 'cancelled' || (!notStarted && x.signal.aborted);
  return {
    ...base,
    ok: false,
    phase: cancelled ? 'Cancelled' : 'Failed',
    mode,
    error:
      r.error === REBIND_HAS_NO_STAGING
        ? `${r.error}: run without --stage-only`
        : r.error,
    durationMs,
  };
}
