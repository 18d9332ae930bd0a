import { readableError } from '../clusters';
import type {
  Plan,
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { runCopy, type CopyEvent } from '../copy';
import { gatherFacts } from '../gather';
import { planTransfer, type PlanFacts } from '../plan';
import { runRebind } from '../rebind';
import type { Clusters } from './clusters';
import { moverResourceOptions, type EngineFlags } from './flags';
import type { Sink, TransferSummary } from './records';

export const pvcOf = (s: TransferSpec) =>
  `${s.source.namespace}/${s.source.name}`;
export const destinationOf = (s: TransferSpec) =>
  `${s.destination.cluster}/${s.destination.namespace}/${s.destination.name}`;

/** Reads the facts and plans; writes nothing to either cluster. */
export async function planSpec(
  spec: TransferSpec,
  c: Clusters,
  f: EngineFlags,
): Promise<{ facts: PlanFacts; plan: Plan }> {
  const facts = await gatherFacts({
    spec,
    source: c.source.kc,
    destination: c.destination.kc,
    ingressConfigured: f.ingressDomain !== undefined,
    loadBalancerAvailable: f.loadBalancer ? true : undefined,
    moverResources: moverResourceOptions(f),
  });
  return { facts, plan: planTransfer(facts) };
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

// a person reads it: a Kubernetes refusal as who may not do what where, never the client's dump
const oneLine = (e: unknown) => readableError(e);

/** Plans and runs one transfer (copy or rebind, as planned), reporting every event; never throws. */
export async function executeSpec(
  spec: TransferSpec,
  x: ExecuteOptions,
): Promise<TransferSummary> {
  const started = Date.now();
  const r = await execute(spec, x);
  return { ...r, durationMs: Date.now() - started };
}

async function execute(
  spec: TransferSpec,
  x: ExecuteOptions,
): Promise<TransferSummary> {
  const about = { transfer: spec.id, pvc: pvcOf(spec) };
  const base = { ...about, destination: destinationOf(spec) };
  const { sink, signal, clusters: c } = x;
  const onEvent = (e: CopyEvent) => {
    if (e.type === 'progress')
      sink.write({ type: 'progress', ...about, run: e.run, ...e.sample });
    else if (e.type === 'phase')
      sink.write({ type: 'phase', ...about, phase: e.phase, at: e.at });
    else if (e.type === 'step')
      sink.write({ type: 'step', ...about, step: e.step, at: e.at });
    else sink.write({ type: 'warning', ...about, message: e.message });
  };
  const onCheckpoint = (checkpoint: TransferCheckpoint) =>
    sink.write({ type: 'checkpoint', ...about, checkpoint });
  let mode: Plan['mode'] | undefined;
  try {
    signal.throwIfAborted();
    const resumed = x.resume?.get(spec.id);
    const { facts, plan: fresh } = await planSpec(spec, c, x.flags);
    // a resumed transfer keeps its first plan: its own destination PVC now exists and would be refused
    const plan = resumed?.plan ?? fresh;
    mode = plan.mode;
    sink.write({ type: 'plan', ...about, plan });
    // the plan line names mode and endpoint only; what preflight could not rule out belongs beside it
    for (const message of plan.warnings)
      sink.write({ type: 'warning', ...about, message });
    if (!plan.allowed) {
      return {
        ...base,
        ok: false,
        phase: 'Failed',
        mode,
        error: `refused: ${plan.refusals.map(r => `${r.code}: ${r.message}`).join('; ')}`,
      };
    }
    if (plan.mode === 'rebind') {
      if (x.until)
        return {
          ...base,
          ok: false,
          phase: 'Failed',
          mode,
          error:
            'planned as rebind, which has no staging: run without --stage-only',
        };
      const r = await runRebind({
        spec,
        kubeConfig: c.source.kc,
        onEvent,
        onCheckpoint,
        checkpoint: resumed?.checkpoint,
        signal,
        outageBudgetMs: x.flags.outageBudget,
      });
      return {
        ...base,
        ok: true,
        phase: 'Succeeded',
        mode,
        downtimeMs: r.downtimeMs,
      };
    }
    const r = await runCopy({
      spec,
      plan,
      source: c.source.kc,
      destination: c.destination.kc,
      image: spec.options?.image,
      ingressDomain: x.flags.ingressDomain,
      sourcePodSpecs: facts.sourceWorkloads.flatMap(w =>
        w.podSpec ? [w.podSpec] : [],
      ),
      onEvent,
      onCheckpoint,
      checkpoint: resumed?.checkpoint,
      signal,
      until: x.until,
      outageBudgetMs: x.flags.outageBudget,
    });
    const moved = r.syncs.filter(s => s.run !== 'verify');
    return {
      ...base,
      ok: true,
      phase: x.until ? r.checkpoint.phase : 'Succeeded',
      mode,
      staged: x.until === 'staged' ? true : undefined,
      downtimeMs: r.downtimeMs,
      bytes: moved.reduce((n, s) => n + (s.result.bytesTransferred ?? 0), 0),
      files: moved.reduce((n, s) => n + (s.result.filesTransferred ?? 0), 0),
      verified: r.verified,
    };
  } catch (e) {
    return {
      ...base,
      ok: false,
      phase: signal.aborted ? 'Cancelled' : 'Failed',
      mode,
      error: oneLine(e),
    };
  }
}
