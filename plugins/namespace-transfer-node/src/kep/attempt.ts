import type {
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { isTerminalPhase } from '@namespace-transfer/plugin-namespace-transfer-common';
import { readableError } from '../clusters';
import { runRebind, type RebindOptions } from '../rebind';
import { keyOf, type KepContext } from './context';
import { decideFailure, type FailureDecision } from './outcome';
import { setCondition, type Status } from './status';
import type { KepHooks, KepOutcome, KepTransfer } from './types';

/** RebindOptions with the fields of issue 18's contract 4 (stop before the point of no return, adopt). */
type RebindRun = RebindOptions & {
  stopBeforePointOfNoReturn?: AbortSignal;
  adoptDestination?: boolean;
};

/**
 * Calls a host's hook: one that throws is logged and changes nothing of the run. None is called once the
 * leadership term the run started in ended, but the hand-over's own `ended`.
 */
export async function callHook<K extends keyof KepHooks>(
  ctx: KepContext,
  name: K,
  ...args: Parameters<NonNullable<KepHooks[K]>>
): Promise<void> {
  const hook = ctx.hooks[name] as ((...a: unknown[]) => unknown) | undefined;
  if (!hook || (ctx.handOver().aborted && !handingOver(name, args))) return;
  try {
    await hook.apply(ctx.hooks, args);
  } catch (e) {
    ctx.log(`hook ${name} for ${args[0]?.id}: ${readableError(e)}`);
  }
}

/**
 * Once the term ended only the hand-over itself is told: the host learns this replica let go of the run
 * (nothing of it goes into the request), and whoever takes over reports the rest.
 */
function handingOver(name: keyof KepHooks, args: unknown[]): boolean {
  return (
    name === 'ended' &&
    (args[1] as KepOutcome | undefined)?.state === 'handedOver'
  );
}

/**
 * One run of a request's rebind: its start, progress and checkpoints go into the request's status and to
 * the hooks; its end is a final status, a retry after a backoff, or nothing at all (stopped or handed over:
 * the next run resumes from the checkpoint in status).
 */
export async function runAttempt(
  ctx: KepContext,
  t: KepTransfer,
): Promise<void> {
  const { namespace, name } = t.request;
  const key = keyOf(namespace, name);
  const claim = `${t.destination.namespace}/${t.destination.name}`;
  await ctx.requests.update(namespace, name, s => started(s, t, claim));
  await callHook(ctx, 'started', t);
  const handOver = ctx.handOver();
  let last = t.resumedFrom;
  // the engine announces RollingBack before it puts anything back; a run it left as it was never does
  let rolledBack = false;
  const writes = serialWrites(ctx, namespace, name);
  const spec: TransferSpec = {
    id: t.id,
    source: { cluster: ctx.cluster, ...t.source },
    destination: { cluster: ctx.cluster, ...t.destination },
    mode: 'rebind',
    intent: 'move',
  };
  const options: RebindRun = {
    spec,
    kubeConfig: ctx.kubeConfig,
    checkpoint: t.resumedFrom,
    allowTransferDefault: ctx.allowTransferDefault,
    handOver,
    stopBeforePointOfNoReturn: ctx.stopping,
    adoptDestination: t.adopted,
    onEvent: e => {
      if (e.type === 'phase' && e.phase === 'RollingBack') rolledBack = true;
      if (e.type === 'phase' && !isTerminalPhase(e.phase))
        void writes.write(s => ({ ...s, phase: e.phase }));
      if (e.type === 'warning') ctx.log(`${key}: ${e.message}`);
      void callHook(ctx, 'event', t, e);
    },
    onCheckpoint: async c => {
      last = c;
      await writes.write(s => ({ ...s, checkpoint: c }));
      await callHook(ctx, 'checkpoint', t, c);
    },
  };
  try {
    const result = await runRebind(options);
    await writes.settled();
    await ctx.requests.update(namespace, name, s => succeeded(s, t, result));
    ctx.queue.forget(key);
    ctx.retryAt.delete(key);
    await callHook(ctx, 'ended', t, { state: 'succeeded', ...result });
  } catch (error) {
    await writes.settled();
    // what the engine did decides, not the signals alone: once the point of no return has started a stop
    // is ignored, and a failure there is rolled back (its checkpoint recorded without the undone steps)
    const stopped = handOver.aborted || (ctx.stopping.aborted && !rolledBack);
    const decision = decideFailure({
      error,
      attempt: t.attempt,
      maxAttempts: ctx.maxAttempts,
      checkpoint: last,
      stopped,
    });
    await afterFailure(ctx, t, decision, last);
  }
}

async function afterFailure(
  ctx: KepContext,
  t: KepTransfer,
  d: FailureDecision,
  checkpoint: TransferCheckpoint | undefined,
): Promise<void> {
  const { namespace, name } = t.request;
  const key = keyOf(namespace, name);
  if (d.action === 'handOver') {
    ctx.log(`${key}: stopped, left to resume from its checkpoint`);
    await callHook(ctx, 'ended', t, { state: 'handedOver', checkpoint });
    return;
  }
  if (d.action === 'retry') {
    const delayMs = ctx.queue.addRateLimited(key);
    // a little early: the queue's timer, not this guard, decides when the retry runs
    ctx.retryAt.set(key, Date.now() + delayMs - 50);
    const of = d.committed ? '' : ` of ${ctx.maxAttempts}`;
    const message = `attempt ${t.attempt}${of} failed, retrying in ${Math.round(delayMs / 1000)}s: ${d.message}`;
    await ctx.requests.update(namespace, name, s =>
      withCheckpoint(
        {
          ...s,
          phase: 'Pending',
          message,
          attempts: t.attempt,
          conditions: setCondition(s.conditions, {
            type: 'Progressing',
            status: 'True',
            reason: 'Retrying',
            message,
          }),
        },
        checkpoint,
      ),
    );
    await callHook(ctx, 'retrying', t, { message: d.message, delayMs });
    return;
  }
  await ctx.requests.update(namespace, name, s =>
    withCheckpoint({ ...failed(s, d), attempts: t.attempt }, checkpoint),
  );
  ctx.queue.forget(key);
  ctx.retryAt.delete(key);
  const outcome: KepOutcome = {
    state: 'failed',
    reason: d.reason,
    message: d.message,
    checkpoint,
  };
  await callHook(ctx, 'ended', t, outcome);
}

/**
 * The engine's last checkpoint, which a write of it may have missed: after a rollback it no longer lists
 * the undone steps, and one without steps leaves nothing to resume.
 */
function withCheckpoint(s: Status, c: TransferCheckpoint | undefined): Status {
  const next = { ...s };
  if (c?.completedSteps.length) next.checkpoint = c;
  else delete next.checkpoint;
  return next;
}

/**
 * The status as a run starts. A request an older controller ended Failed past the point of no return is
 * resumed, so that end is taken back.
 */
function started(s: Status, t: KepTransfer, claim: string): Status {
  const next: Status = {
    ...s,
    message: t.approval
      ? `approved by ${t.approval.namespace}/${t.approval.name}`
      : 'resuming past the point of no return',
    startTime: s.startTime ?? new Date().toISOString(),
    destinationClaim: claim,
    conditions: running(s, t),
  };
  if (s.phase !== 'Failed') return next;
  delete next.completionTime;
  next.conditions = setCondition(
    setCondition(next.conditions, {
      type: 'Failed',
      status: 'False',
      reason: 'Resuming',
      message: 'resumed past the point of no return',
    }),
    {
      type: 'Ready',
      status: 'False',
      reason: 'Resuming',
      message: 'the volume has no claim until this finishes',
    },
  );
  return { ...next, phase: 'Pending' };
}

function running(s: Status, t: KepTransfer) {
  const approvedBy = t.approval
    ? `approved by ${t.approval.namespace}/${t.approval.name}`
    : 'approved by an earlier approval';
  const conditions = setCondition(s.conditions, {
    type: 'Approved',
    status: 'True',
    reason: 'Approved',
    message: approvedBy,
  });
  return setCondition(conditions, {
    type: 'Progressing',
    status: 'True',
    reason: t.resumedFrom ? 'Resuming' : 'Running',
    message: `attempt ${t.attempt}: ${t.adopted ? 'binding the volume to the claim made for it' : 'rebinding the volume'} (${t.destination.namespace}/${t.destination.name})`,
  });
}

function succeeded(
  s: Status,
  t: KepTransfer,
  result: { volumeName: string; checkpoint: TransferCheckpoint },
): Status {
  const message = `PersistentVolume ${result.volumeName} now belongs to ${t.destination.namespace}/${t.destination.name}`;
  let conditions = setCondition(s.conditions, {
    type: 'Progressing',
    status: 'False',
    reason: 'Transferred',
    message,
  });
  conditions = setCondition(conditions, {
    type: 'Ready',
    status: 'True',
    reason: 'Transferred',
    message: `bound to ${result.volumeName}`,
  });
  return {
    ...s,
    phase: 'Succeeded',
    message,
    volumeName: result.volumeName,
    attempts: t.attempt,
    completionTime: new Date().toISOString(),
    checkpoint: result.checkpoint,
    conditions,
  };
}

function failed(
  s: Status,
  d: Extract<FailureDecision, { action: 'fail' }>,
): Status {
  let conditions = setCondition(s.conditions, {
    type: 'Progressing',
    status: 'False',
    reason: d.reason,
    message: d.message,
  });
  conditions = setCondition(conditions, {
    type: 'Ready',
    status: 'False',
    reason: d.reason,
    message: d.message,
  });
  conditions = setCondition(conditions, {
    type: 'Failed',
    status: 'True',
    reason: d.reason,
    message: d.message,
  });
  return {
    ...s,
    phase: 'Failed',
    message: d.message,
    completionTime: new Date().toISOString(),
    conditions,
  };
}

/** Status writes one after the other, so that a slower earlier write never overwrites a later phase. */
function serialWrites(ctx: KepContext, namespace: string, name: string) {
  let chain = Promise.resolve();
  return {
    write(change: (s: Status) => Status): Promise<void> {
      chain = chain
        .then(() => ctx.requests.update(namespace, name, change))
        .then(
          () => undefined,
          e => ctx.log(`status of ${namespace}/${name}: ${readableError(e)}`),
        );
      return chain;
    },
    settled: () => chain,
  };
}
