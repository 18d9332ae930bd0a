import {
  Discovery,
  isClusterUnreachable,
  readableError,
  withRetryPolicy,
} from '../clusters';
import { eitherSignal } from '../kube';
import { objectName } from '../naming';
import {
  quiesceWorkloads,
  restoreQuiesced,
  waitUntilUnmounted,
} from '../quiesce';
import { createStepRunner } from '../steps';
import type { TransferCredentials } from '../pki';
import type { EndpointAddress } from '../transport';
import {
  readNamespaceSnapshot,
  resolveClaimUsage,
  withoutPodsOf,
} from '../usage';
import {
  clustersAnswer,
  leftForResume,
  transferPolicy,
  type TransferClusters,
} from './outage';
import { CopySession } from './session';
import type { CopyOptions, CopyResult, SyncRunResult } from './types';

/**
 * The copy flow as a sequence of idempotent steps with a checkpoint after each: provision the destination
 * PVC, expose the server, issue credentials, start the server, stage while the application runs, quiesce,
 * final sync, verify, finalize (clone: restore workloads; move: mark the source), clean up. A new process
 * given the checkpoint skips finished steps; each step also finds what a crashed run made.
 *
 * Before the point of no return a failure or cancel rolls back: the engine's objects and the destination
 * PVC go, the source workloads come back. The point of no return is the verified copy for a clone and the
 * marked source for a move: after it nothing rolls back (no verified destination is removed, no moved
 * source is scaled back up), and a failure leaves everything for a resume, which finishes the clean-up.
 *
 * @public
 */
export async function runCopy(o: CopyOptions): Promise<CopyResult> {
  // every call this run makes to either cluster (steps, waits, rollback) waits out an outage by its budget
  return withRetryPolicy(transferPolicy(copyClusters(o)), () => copyFlow(o));
}

async function copyFlow(o: CopyOptions): Promise<CopyResult> {
  const { spec, plan } = o;
  // a refused plan creates nothing: the caller shows the refusals instead
  if (!plan.allowed)
    throw new Error(
      `transfer ${spec.id} refused: ${plan.refusals.map(r => r.message).join('; ')}`,
    );
  if (plan.mode !== 'copy')
    throw new Error(`transfer ${spec.id} is planned as ${plan.mode}, not copy`);
  // every wait ends on a cancel or a hand-over; the catch below tells them apart
  const waits = eitherSignal(o.signal, o.handOver);
  const session = new CopySession({ ...o, signal: waits });
  const verifyMode = spec.options?.verify ?? 'full';
  const { checkpoint, committed, phase, step } = createStepRunner({
    transferId: spec.id,
    checkpoint: o.checkpoint,
    onEvent: o.onEvent,
    onCheckpoint: o.onCheckpoint,
    signal: o.signal,
    handOver: o.handOver,
    // A cancel is honoured at every step boundary up to the point of no return, the last check being
    // right before the step that crosses it: until then the checkpoint says a cancel is possible, and the
    // API accepts one, so the run must roll back for it (for a move, throwing a verified copy away).
    pointOfNoReturn: copyPointOfNoReturn(spec.intent, verifyMode),
  });
  const syncs: SyncRunResult[] = [];

  const record = (r: SyncRunResult) => {
    syncs.push(r);
    for (const w of r.result.warnings)
      o.onEvent?.({ type: 'warning', message: `${r.run}: ${w}` });
    return r;
  };
  const check = (r: SyncRunResult, what: string) => {
    if (!r.result.ok)
      throw new Error(`${what} failed: ${r.result.errors.join('; ')}`);
    return r;
  };
  const sync = async (what: string, fn: () => Promise<SyncRunResult>) =>
    check(record(await fn()), what);
  // key material never goes into the checkpoint: the steps that need it read it back from the Secrets
  let credentialsRead: Promise<TransferCredentials> | undefined;
  const credentials = () => (credentialsRead ??= session.readCredentials());

  // in use when planned: pods mounted the claim, or a workload that would start some was running
  const inUse =
    (plan.usedBy?.pods.length ?? 0) > 0 ||
    plan.workloads.some(w => (w.replicas ?? 0) > 0);
  const quiesce = spec.options?.quiesce !== false;
  const stage = spec.options?.stage !== false && inUse;
  let quiesced = checkpoint.completedSteps.includes('quiesce');

  try {
    await step('provision-destination', 'Provisioning', () =>
      session.provisionDestination(),
    );
    const address = await step<EndpointAddress>('expose', 'Exposing', () =>
      session.expose(),
    );
    await step('credentials', 'Exposing', () =>
      session.issueCredentials(address),
    );
    await step('server', 'Exposing', async () => {
      await session.startServer(await credentials());
    });
    const stagesDone = checkpoint.completedSteps.filter(s =>
      s.startsWith('sync-stage-'),
    ).length;
    if (o.until === 'staged' || (stage && stagesDone === 0)) {
      // every staging run after the first is a delta sync that also removes what the app deleted
      const run = `stage-${stagesDone + 1}`;
      await step(`sync-${run}`, 'Staging', () =>
        sync('staging sync', async () =>
          session.sync(run, await credentials(), address, {
            resync: stagesDone > 0,
          }),
        ),
      );
      if (o.until === 'staged') {
        return { syncs, checkpoint, downtimeMs: 0 };
      }
    }
    const staged = stage || stagesDone > 0;
    if (quiesce && (inUse || plan.workloads.length > 0)) {
      await step('quiesce', 'Quiescing', async () => {
        quiesced = true;
        // who uses the claim now, not when planned: a pod or workload may have appeared since
        const users = await currentUsers(o);
        if (users.unstoppable.length)
          throw new Error(
            `the source PVC is used by what the engine cannot stop: ${users.unstoppable.map(u => `${u.kind} ${u.name} (${u.reason})`).join('; ')}`,
          );
        // the downtime starts when the application is told to stop, not with the look before
        const startedAt = Date.now();
        await quiesceWorkloads(
          o.source,
          users.workloads.map(w => w.ref),
          spec.id,
        );
        const own = `${objectName(spec.id, 'client').replace(/-client$/, '')}-`;
        await waitUntilUnmounted(
          o.source,
          spec.source.namespace,
          spec.source.name,
          {
            timeoutMs: o.timeouts?.quiesceMs ?? 300_000,
            signal: waits,
            ignorePods: name => name.startsWith(own),
          },
        );
        return { startedAt };
      });
    }
    const verify =
      verifyMode === 'none'
        ? undefined
        : { mode: verifyMode, sampleRatio: spec.options?.verifySampleRatio };
    // the comparison runs in the final sync's pod: one pod start and one connection set-up fewer
    // inside the downtime
    const final = await step('sync-final', 'Syncing', async () => {
      // nothing was stopped because nothing used the claim when planned: never copy it live if that changed
      if (!quiesced) await assertUnused(o);
      return sync('final sync', async () =>
        session.sync('final', await credentials(), address, {
          resync: staged,
          verifyAfterSync: verify,
          appStopped: quiesced,
        }),
      );
    });
    if (verify) {
      await step('verify', 'Verifying', async () => {
        const inFinal = final.result.verification;
        // differences are a verdict; anything else (the pod killed while comparing, a checkpoint of a
        // run that did not compare) is settled by a comparison of its own
        const r =
          inFinal && (inFinal.ok || inFinal.differences?.length)
            ? record({
                run: 'verify',
                result: inFinal,
                durationMs: 0,
                within: 'final',
              })
            : record(
                await session.sync('verify', await credentials(), address, {
                  resync: false,
                  verify,
                }),
              );
        check(r, 'verification');
        return {
          files: r.result.filesTotal,
          bytes: r.result.bytesTotal,
          mode: verifyMode,
        };
      });
    }
    const q = checkpoint.state.quiesce as { startedAt: number } | undefined;
    const downtimeMs = q
      ? await step(
          'downtime',
          'Finalizing',
          async () => Date.now() - q.startedAt,
        )
      : 0;
    await step('finalize', 'Finalizing', async () => {
      // a clone gives back what the cluster says this transfer holds, as a rollback would
      if (spec.intent === 'clone')
        await restoreQuiesced(o.source, spec.source.namespace, spec.id);
      else await session.markSourceTransferred();
    });
    if (spec.intent === 'move' && spec.options?.deleteSource === true)
      await step('delete-source', 'Finalizing', () => session.deleteSource());
    if (!o.skipCleanup)
      await step('cleanup', 'CleaningUp', () => session.cleanup());
    phase('Succeeded');
    return {
      syncs,
      checkpoint,
      downtimeMs,
      verified: checkpoint.state.verify as CopyResult['verified'],
    };
  } catch (e) {
    // handed over: whoever takes over finds everything as it is (pods running, nothing rolled back)
    if (o.handOver?.aborted) throw e;
    const warn = (what: string) => (err: unknown) =>
      o.onEvent?.({
        type: 'warning',
        message: `${what}: ${readableError(err)}`,
      });
    if (committed()) {
      // the verified copy (and for a move, the source's word that its data went there) stays; what is
      // left to do is for a resume
      o.onEvent?.({
        type: 'warning',
        message: `failed after the point of no return (${spec.intent === 'move' ? 'the source is marked as moved' : 'the copy is verified'}): nothing was rolled back; resume the transfer to finish`,
      });
      phase('Failed');
      throw e;
    }
    if (
      !o.skipCleanup &&
      (isClusterUnreachable(e) || !(await clustersAnswer(copyClusters(o))))
    ) {
      // a rollback against a cluster that is away would stop half-way: the checkpoint stays for a resume
      o.onEvent?.({ type: 'warning', message: leftForResume(e) });
      phase('Failed');
      throw e;
    }
    // handed over while the clusters were asked: whoever takes over decides
    if (o.handOver?.aborted) throw e;
    if (!o.skipCleanup) {
      phase('RollingBack');
      await session.cleanup().catch(warn('cleanup after failure'));
      await session
        .removeDestination()
        .catch(warn('removing the destination PVC'));
      await session.unmarkSource().catch(warn('unmarking the source PVC'));
      if (quiesced)
        await restoreQuiesced(o.source, spec.source.namespace, spec.id).catch(
          warn('restoring the workloads'),
        );
    }
    phase(o.signal?.aborted ? 'Cancelled' : 'Failed');
    throw e;
  }
}

/**
 * Clone: the verified copy (the final sync when verification is off). Move: the source marked as moved.
 *
 * @public
 */
export function copyPointOfNoReturn(
  intent: CopyOptions['spec']['intent'],
  verify: string,
): string {
  if (intent === 'move') return 'finalize';
  return verify === 'none' ? 'sync-final' : 'verify';
}

async function assertUnused(o: CopyOptions) {
  const users = await currentUsers(o);
  if (users.pods.length || users.workloads.some(w => (w.ref.replicas ?? 0) > 0))
    throw new Error(
      `the source PVC came into use after it was planned (${[
        ...users.pods.map(p => `pod ${p.metadata?.name}`),
        ...users.workloads.map(w => `${w.ref.kind} ${w.ref.name}`),
      ].join(', ')}): plan the transfer again`,
    );
}

async function currentUsers(o: CopyOptions) {
  const ns = o.spec.source.namespace;
  const openshift = await new Discovery(o.source).isServed(
    'apps.openshift.io/v1',
  );
  const snapshot = await readNamespaceSnapshot(o.source, ns, { openshift });
  return resolveClaimUsage(
    withoutPodsOf(snapshot, o.spec.id),
    o.spec.source.name,
  );
}

function copyClusters(o: CopyOptions): TransferClusters {
  return {
    sides: [
      [o.source, o.spec.source.cluster],
      [o.destination, o.spec.destination.cluster],
    ],
    outageBudgetMs: o.outageBudgetMs,
    onEvent: o.onEvent,
  };
}
