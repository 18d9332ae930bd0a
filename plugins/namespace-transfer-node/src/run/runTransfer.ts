import type { Plan } from '@namespace-transfer/plugin-namespace-transfer-common';
import { readableError } from '../clusters';
import { runCopy, type CopyResult } from '../copy';
import type { PlanFacts } from '../plan';
import { runRebind, type RebindResult } from '../rebind';
import { unfinishedOutcome } from './outcome';
import { RunRecord } from './record';
import { planTransferRun } from './plan';
import { planChanges } from './planChanges';
import type { TransferRunOptions, TransferRunResult } from './types';

/**
 * Why a run planned as rebind did not start when asked to stop after staging (rebind has no staging).
 *
 * @public
 */
export const REBIND_HAS_NO_STAGING = 'planned as rebind, which has no staging';

/** Why a resume of a rebind that gave its volume back does nothing. */
const GIVEN_BACK_ERROR =
  'the volume was given back to its source claim after a failure, so the source is as it was: retry the transfer, it starts over';

/**
 * Runs one transfer as the CLI and the backend's worker do: plans it (a resume keeps its first plan),
 * stops before creating anything when the plan refuses or differs from the approved one in substance,
 * runs the copy or rebind flow from the checkpoint, and says how it ended. Never throws.
 *
 * A cancel (`signal`) rolls back until the point of no return, also one that came before a resume; a
 * rebind that fails past its point and gives its volume back says so (`givenBack`) and is no longer
 * past it. A hand-over (`handOver`) returns at once with the checkpoint of the last finished step, rolls
 * back nothing and leaves the pods running for the run that takes over.
 *
 * @public
 */
export async function runTransfer(
  o: TransferRunOptions,
): Promise<TransferRunResult> {
  const started = Date.now();
  const run = new RunRecord(o);
  const flow = planAndRun(o, run);
  // a rollback under way is finished first: half of one leaves less than a resume can continue from
  const ended = await untilHandedOver(
    flow,
    o.handOver,
    () => run.lastPhase !== 'RollingBack',
  );
  // from here on this run says nothing: whoever takes over reports
  run.closed = true;
  if ('value' in ended)
    return { ...ended.value, durationMs: Date.now() - started };
  const outcome = unfinishedOutcome({
    handedOver: o.handOver?.aborted ?? false,
    cancelRequested: o.signal?.aborted ?? false,
    lastPhase: run.lastPhase,
  });
  return {
    ...run.about(),
    outcome,
    ...(outcome === 'failed' && run.leftForResume
      ? { leftForResume: true }
      : {}),
    ...('error' in ended && outcome !== 'handed-over'
      ? { error: readableError(ended.error) }
      : {}),
    durationMs: Date.now() - started,
  };
}

type Finished = Omit<TransferRunResult, 'durationMs'>;

async function planAndRun(
  o: TransferRunOptions,
  run: RunRecord,
): Promise<Finished> {
  // a cancel before anything ran has nothing to undo; a resume's objects are on the clusters, so its flow
  // rolls them back from the checkpoint (past the point of no return it finishes instead)
  if (!o.checkpoint) o.signal?.throwIfAborted();
  o.handOver?.throwIfAborted();
  const resumedPlan = o.checkpoint ? o.plan : undefined;
  if (run.givenBack) {
    run.plan = resumedPlan;
    return { ...run.about(), outcome: 'failed', error: GIVEN_BACK_ERROR };
  }
  const planned = await freshPlan(o, resumedPlan);
  // a resumed transfer keeps its first plan: its own destination PVC now exists and would be refused
  const plan = resumedPlan ?? planned!.plan;
  run.plan = plan;
  run.onEvent({ type: 'plan', plan });
  // approval can be days old: what runs for the first time must still be what was approved
  const changes =
    !o.checkpoint && o.approvedPlan ? planChanges(o.approvedPlan, plan) : [];
  if (changes.length)
    return { ...run.about(), outcome: 'plan-changed', planChanges: changes };
  if (!plan.allowed)
    return {
      ...run.about(),
      outcome: 'refused',
      error: `refused: ${plan.refusals.map(r => `${r.code}: ${r.message}`).join('; ')}`,
    };
  if (plan.mode === 'rebind') {
    if (o.until)
      return {
        ...run.about(),
        outcome: 'failed',
        error: REBIND_HAS_NO_STAGING,
      };
    return rebindResult(run, await rebind(o, run));
  }
  return copyResult(o, run, await copy(o, run, plan, planned?.facts));
}

/** The plan from the clusters as they are now, unless a resume can do without it. */
async function freshPlan(o: TransferRunOptions, resumedPlan?: Plan) {
  // rolling back needs no fresh look at the clusters
  if (resumedPlan && o.signal?.aborted) return undefined;
  return planTransferRun(o).catch(e => {
    // a resume past the point where the source claim went (a rebind, a move that deletes its source)
    // cannot be planned again; it needs no fresh plan, only what the first one said
    if (resumedPlan) return undefined;
    throw e;
  });
}

function rebind(o: TransferRunOptions, run: RunRecord): Promise<RebindResult> {
  return runRebind({
    spec: o.spec,
    kubeConfig: o.source,
    onEvent: run.onEvent,
    onCheckpoint: run.onCheckpoint,
    checkpoint: o.checkpoint,
    signal: o.signal,
    handOver: o.handOver,
    outageBudgetMs: o.outageBudgetMs,
  });
}

function copy(
  o: TransferRunOptions,
  run: RunRecord,
  plan: Plan,
  facts: PlanFacts | undefined,
): Promise<CopyResult> {
  return runCopy({
    spec: o.spec,
    plan,
    source: o.source,
    destination: o.destination,
    image: o.image,
    ingressDomain: o.ingressDomain,
    // the client runs as the source application's identity, as it is now
    sourcePodSpecs: facts?.sourceWorkloads.flatMap(w =>
      w.podSpec ? [w.podSpec] : [],
    ),
    onEvent: run.onEvent,
    onCheckpoint: run.onCheckpoint,
    checkpoint: o.checkpoint,
    signal: o.signal,
    handOver: o.handOver,
    until: o.until,
    outageBudgetMs: o.outageBudgetMs,
  });
}

function rebindResult(run: RunRecord, r: RebindResult): Finished {
  run.checkpoint = r.checkpoint;
  return { ...run.about(), outcome: 'succeeded', downtimeMs: r.downtimeMs };
}

function copyResult(
  o: TransferRunOptions,
  run: RunRecord,
  r: CopyResult,
): Finished {
  run.checkpoint = structuredClone(r.checkpoint);
  const moved = r.syncs.filter(s => s.run !== 'verify');
  return {
    ...run.about(),
    outcome: o.until === 'staged' ? 'staged' : 'succeeded',
    downtimeMs: r.downtimeMs,
    bytes: moved.reduce((n, s) => n + (s.result.bytesTransferred ?? 0), 0),
    files: moved.reduce((n, s) => n + (s.result.filesTransferred ?? 0), 0),
    verified: r.verified,
  };
}

type Ended<T> = { value: T } | { error: unknown } | { handedOver: true };

/**
 * The flow's end, or the hand-over, whichever comes first: a hand-over does not wait for the call in
 * flight (a cluster call waiting out an outage takes minutes) unless `mayLeave` says no. The flow stops
 * on its own at its next wait or step, and its end is not awaited.
 */
function untilHandedOver<T>(
  flow: Promise<T>,
  handOver: AbortSignal | undefined,
  mayLeave: () => boolean,
): Promise<Ended<T>> {
  return new Promise(resolve => {
    const onHandOver = () => {
      if (mayLeave()) resolve({ handedOver: true });
    };
    handOver?.addEventListener('abort', onHandOver, { once: true });
    flow.then(
      value => resolve({ value }),
      error => resolve({ error }),
    );
    void flow
      .catch(() => undefined)
      .finally(() => handOver?.removeEventListener('abort', onHandOver));
  });
}
