import { objectName } from '../naming';
import {
  quiesceWorkloads,
  restoreWorkloads,
  waitUntilUnmounted,
} from '../quiesce';
import { createStepRunner } from '../steps';
import type { EndpointAddress } from '../transport';
import { CopySession } from './session';
import type { CopyOptions, CopyResult, SyncRunResult } from './types';

/** Steps after verification: a cancel no longer rolls back from here. */
const PAST_VERIFY = new Set(['downtime', 'finalize', 'cleanup']);

/**
 * The copy flow as a sequence of idempotent steps with a checkpoint after each: provision the destination
 * PVC, expose the server, issue credentials, start the server, stage while the application runs, quiesce,
 * final sync, verify, finalize (clone: restore workloads; move: mark the source), clean up. A new process
 * given the checkpoint skips finished steps; each step also finds what a crashed run made. On failure or
 * cancel it rolls back: the engine's objects and the destination PVC go, the workloads come back.
 */
export async function runCopy(o: CopyOptions): Promise<CopyResult> {
  const { spec, plan } = o;
  // a refused plan creates nothing: the caller shows the refusals instead
  if (!plan.allowed)
    throw new Error(
      `transfer ${spec.id} refused: ${plan.refusals.map(r => r.message).join('; ')}`,
    );
  if (plan.mode !== 'copy')
    throw new Error(`transfer ${spec.id} is planned as ${plan.mode}, not copy`);
  const session = new CopySession(o);
  const { checkpoint, phase, step } = createStepRunner({
    transferId: spec.id,
    checkpoint: o.checkpoint,
    onEvent: o.onEvent,
    onCheckpoint: o.onCheckpoint,
    signal: o.signal,
    // A cancel is honoured at every step boundary until the destination is verified; from then on the
    // transfer finishes, since rolling back would throw away a verified copy.
    cancellable: name => !PAST_VERIFY.has(name),
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

  const inUse = plan.workloads.length > 0;
  const quiesce = inUse && spec.options?.quiesce !== false;
  const stage = spec.options?.stage !== false && inUse;
  const verifyMode = spec.options?.verify ?? 'full';
  let quiesced = checkpoint.completedSteps.includes('quiesce');

  try {
    await step('provision-destination', 'Provisioning', () =>
      session.provisionDestination(),
    );
    const address = await step<EndpointAddress>('expose', 'Exposing', () =>
      session.expose(),
    );
    // key material never goes into the checkpoint: a resumed run reads it back from the Secrets
    const credentials = await session.credentials(address);
    await step('server', 'Exposing', async () => {
      await session.startServer(credentials);
    });
    const stagesDone = checkpoint.completedSteps.filter(s =>
      s.startsWith('sync-stage-'),
    ).length;
    if (o.until === 'staged' || (stage && stagesDone === 0)) {
      // every staging run after the first is a delta sync that also removes what the app deleted
      const run = `stage-${stagesDone + 1}`;
      await step(`sync-${run}`, 'Staging', () =>
        sync('staging sync', () =>
          session.sync(run, credentials, address, { resync: stagesDone > 0 }),
        ),
      );
      if (o.until === 'staged') {
        return { syncs, checkpoint, downtimeMs: 0 };
      }
    }
    const staged = stage || stagesDone > 0;
    if (quiesce) {
      await step('quiesce', 'Quiescing', async () => {
        const startedAt = Date.now();
        quiesced = true;
        await quiesceWorkloads(o.source, plan.workloads, spec.id);
        const own = `${objectName(spec.id, 'client').replace(/-client$/, '')}-`;
        await waitUntilUnmounted(
          o.source,
          spec.source.namespace,
          spec.source.name,
          {
            timeoutMs: o.timeouts?.quiesceMs ?? 300_000,
            signal: o.signal,
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
    const final = await step('sync-final', 'Syncing', () =>
      sync('final sync', () =>
        session.sync('final', credentials, address, {
          resync: staged,
          verifyAfterSync: verify,
          appStopped: quiesced,
        }),
      ),
    );
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
                await session.sync('verify', credentials, address, {
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
      if (spec.intent === 'clone')
        await restoreWorkloads(o.source, plan.workloads, spec.id);
      else
        await session.markSourceTransferred(
          spec.options?.deleteSource === true,
        );
    });
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
    const warn = (what: string) => (err: unknown) =>
      o.onEvent?.({ type: 'warning', message: `${what}: ${String(err)}` });
    if (!o.skipCleanup) {
      phase('RollingBack');
      await session.cleanup().catch(warn('cleanup after failure'));
      await session
        .removeDestination()
        .catch(warn('removing the destination PVC'));
      if (quiesced)
        await restoreWorkloads(o.source, plan.workloads, spec.id).catch(
          warn('restoring the workloads'),
        );
    }
    phase(o.signal?.aborted ? 'Cancelled' : 'Failed');
    throw e;
  }
}
