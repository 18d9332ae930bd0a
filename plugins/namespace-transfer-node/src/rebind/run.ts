import type { TransferCheckpoint } from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  isClusterUnreachable,
  readableError,
  withRetryPolicy,
} from '../clusters';
import {
  clustersAnswer,
  leftForResume,
  transferPolicy,
  type TransferClusters,
} from '../copy/outage';
import { gatherFacts } from '../gather';
import { LABEL_TRANSFER_ID } from '../naming';
import {
  quiesceWorkloads,
  restoreWorkloads,
  waitUntilUnmounted,
} from '../quiesce';
import { eitherSignal } from '../kube';
import { createStepRunner } from '../steps';
import { waitBound } from './binding';
import { checkRebindPreconditions } from './preconditions';
import { inheritedMetadata } from '../naming/inherit';
import { ClaimTakenError, RebindVolume } from './volume';
import {
  RebindRefusedError,
  type PreconditionState,
  type RebindOptions,
  type RebindResult,
  type SourceRecord,
} from './types';

/**
 * The step after which the source claim may already be gone: from here on the run never undoes the move by abort.
 *
 * @public
 */
export const POINT_OF_NO_RETURN = 'delete-source';

/**
 * The one step of the checkpoint a failure leaves once the volume is back with a re-created source claim:
 * the source is as it was, so nothing is past a point of no return and the transfer can only start over
 * (resuming the old steps would take the volume from the claim it was given back to).
 */
export const GIVEN_BACK = 'given-back';

/** The key in a rolled-back checkpoint's state under which it keeps the steps it undid (not a step). */
const ROLLED_BACK = 'rolled-back';

/** @public */
export const REBIND_STEPS = [
  'preconditions',
  'record-reclaim-policy',
  'retain',
  'mark-source',
  'quiesce',
  'delete-source',
  'point-claim-ref',
  'create-destination',
  'wait-bound',
  'restore-reclaim-policy',
  'finalize',
] as const;

type RebindStep = (typeof REBIND_STEPS)[number];

/**
 * Hands a PersistentVolume from a claim in one namespace to a new claim in another (the KEP's rebind), as
 * idempotent steps with a checkpoint after each. Before the source claim is deleted, a failure or cancel
 * puts everything back; after it, the volume keeps Retain and a claimRef naming a claim, and a failure
 * gives the volume back to a re-created source claim (or leaves the checkpoint to resume from).
 *
 * @public
 */
export async function runRebind(o: RebindOptions): Promise<RebindResult> {
  // every call of the run (steps, waits, give-back) waits out an API server outage by its budget
  return withRetryPolicy(transferPolicy(rebindCluster(o)), () => rebindFlow(o));
}

function rebindCluster(o: RebindOptions): TransferClusters {
  return {
    sides: [[o.kubeConfig, o.spec.source.cluster]],
    outageBudgetMs: o.outageBudgetMs,
    onEvent: o.onEvent,
  };
}

async function rebindFlow(o: RebindOptions): Promise<RebindResult> {
  const { spec } = o;
  const { checkpoint, done, stopped, phase, step } =
    createStepRunner<RebindStep>({
      transferId: spec.id,
      checkpoint: o.checkpoint,
      onEvent: o.onEvent,
      onCheckpoint: o.onCheckpoint,
      signal: o.signal,
      handOver: o.handOver,
      stopBeforePointOfNoReturn: o.stopBeforePointOfNoReturn,
      // cancelling is only possible while everything can still be put back
      pointOfNoReturn: POINT_OF_NO_RETURN,
    });
  const src = spec.source;
  const dst = spec.destination;
  const kc = o.kubeConfig;
  // waits before the point of no return end on a cancel, a stop or a hand-over; those after it on a
  // hand-over only
  const waits = eitherSignal(o.signal, o.handOver, o.stopBeforePointOfNoReturn);
  // handed over, or stopped before the point of no return: whoever runs it next carries on from what is
  // there, so nothing is put back
  const leftAsIs = () => (o.handOver?.aborted ?? false) || stopped();

  const pre = await step(
    'preconditions',
    'Planning',
    async (): Promise<PreconditionState> => {
      const facts = await gatherFacts({
        spec,
        source: kc,
        destination: kc,
        allowTransferDefault: o.allowTransferDefault,
      });
      const failures = checkRebindPreconditions(facts, {
        allowTransferDefault: o.allowTransferDefault,
        adoptDestination: o.adoptDestination,
      });
      if (failures.length) throw new RebindRefusedError(spec.id, failures);
      const adopted = facts.destination.existingPvc?.metadata?.uid;
      return {
        workloads: facts.sourceWorkloads.map(w => w.ref),
        volumeName: facts.source.pvc!.spec!.volumeName!,
        ...(o.adoptDestination && adopted ? { adopted: { uid: adopted } } : {}),
      };
    },
  ).catch(e => {
    if (leftAsIs()) throw e;
    // a refusal (or a cancel before the first step) changed nothing: there is nothing to roll back
    phase(o.signal?.aborted ? 'Cancelled' : 'Failed');
    throw e;
  });
  const volume = new RebindVolume(kc, spec.id, pre.volumeName);
  // the checkpoint's choice, not this run's option: a resumed run binds the claim the first one chose
  const adopted = pre.adopted;
  let quiesced = done('quiesce');

  try {
    await step('record-reclaim-policy', 'Rebinding', () => volume.hold());
    await step('retain', 'Rebinding', () => volume.setReclaimPolicy('Retain'));
    const record = await step<SourceRecord>('mark-source', 'Rebinding', () =>
      volume.markSource(
        src.namespace,
        src.name,
        `${dst.namespace}/${dst.name}`,
      ),
    );
    const q = await step('quiesce', 'Quiescing', async () => {
      const startedAt = Date.now();
      quiesced = true;
      if (pre.workloads.length)
        await quiesceWorkloads(kc, pre.workloads, spec.id);
      await waitUntilUnmounted(kc, src.namespace, src.name, {
        timeoutMs: o.timeouts?.quiesceMs ?? 300_000,
        signal: waits,
      });
      const holding = await volume.podsHoldingClaim(src.namespace, src.name);
      if (holding.length)
        throw new Error(
          `pods still reference PVC ${src.namespace}/${src.name} and would keep it from being deleted: ${holding.join(', ')}`,
        );
      return { startedAt };
    });
    await step(POINT_OF_NO_RETURN, 'Rebinding', async () => {
      // the last moment to refuse cheaply: a destination claim that appeared while quiescing, or the
      // user's claim deleted, replaced or bound elsewhere
      if (adopted) await volume.adoptable(dst.namespace, dst.name, adopted.uid);
      else if (await volume.readClaim(dst.namespace, dst.name))
        throw new ClaimTakenError(
          `PVC ${dst.namespace}/${dst.name} appeared meanwhile`,
        );
      // never trust the checkpoint alone here: a run that crashed while rolling back may have given the
      // volume its old policy back, and deleting the claim of a Delete volume deletes the data
      await volume.hold();
      await volume.setReclaimPolicy('Retain');
      await volume.deleteSource(src.namespace, src.name, record.uid, {
        timeoutMs: o.timeouts?.deleteMs ?? 120_000,
        signal: o.handOver,
      });
    });
    await step('point-claim-ref', 'Rebinding', async () => {
      if (adopted) {
        // by uid: the binder completes a pre-bound pair, and no other claim of that name can take it
        await volume.adoptable(dst.namespace, dst.name, adopted.uid);
        await volume.pointAt(dst.namespace, dst.name, adopted.uid);
        return;
      }
      const taken = await volume.readClaim(dst.namespace, dst.name);
      if (taken && taken.metadata?.labels?.[LABEL_TRANSFER_ID] !== spec.id) {
        throw new ClaimTakenError(
          `PVC ${dst.namespace}/${dst.name} appeared meanwhile`,
        );
      }
      await volume.pointAt(dst.namespace, dst.name);
    });
    await step('create-destination', 'Rebinding', async () => {
      const meta = {
        from: `${src.namespace}/${src.name}`,
        ...inheritedMetadata(record, {
          labels: spec.destination.labels,
          keepLabels: o.keepLabels,
        }),
      };
      if (adopted)
        await volume.adoptClaim(dst.namespace, dst.name, adopted.uid, meta);
      else await volume.createClaim(dst.namespace, dst.name, record, meta);
    });
    await step('wait-bound', 'Rebinding', async () => {
      await volume.completeClaimRef(dst.namespace, dst.name);
      await waitBound(volume, dst.namespace, dst.name, {
        timeoutMs: o.timeouts?.bindMs ?? 120_000,
        signal: o.handOver,
      });
    });
    await step('restore-reclaim-policy', 'Finalizing', () => volume.release());
    // a move keeps the source workloads scaled down (their recorded replicas stay on them), as copy does
    await step('finalize', 'Finalizing', async () => undefined);
    phase('Succeeded');
    return {
      checkpoint,
      volumeName: pre.volumeName,
      downtimeMs: q?.startedAt ? Date.now() - q.startedAt : 0,
    };
  } catch (e) {
    // handed over or stopped: whoever runs it next carries on from what is there; nothing is put back
    if (leftAsIs()) throw e;
    const warn = (what: string) => (err: unknown) =>
      o.onEvent?.({
        type: 'warning',
        message: `${what}: ${readableError(err)}`,
      });
    if (isClusterUnreachable(e) || !(await clustersAnswer(rebindCluster(o)))) {
      // putting things back against a cluster that is away would stop half-way (the source claim perhaps
      // deleted and not re-created): the checkpoint stays, and a resume finishes or gives back
      o.onEvent?.({ type: 'warning', message: leftForResume(e) });
      phase('Failed');
      throw e;
    }
    // handed over while the cluster was asked: whoever takes over decides
    if (leftAsIs()) throw e;
    phase('RollingBack');
    const past = done(POINT_OF_NO_RETURN);
    let givenBack = false;
    if (past) {
      givenBack = await giveBack(
        volume,
        o,
        checkpoint.state['mark-source'] as SourceRecord,
        adopted,
      ).then(
        () => true,
        err => {
          warn('giving the volume back to the source claim')(err);
          return false;
        },
      );
    } else {
      // recorded before anything is undone: a run resuming the old checkpoint would skip the quiesce and
      // the mark that are being undone, and delete the source claim under running pods
      const recorded = await rolledBack(checkpoint, o).then(
        () => true,
        err => {
          warn('recording the rollback')(err);
          return false;
        },
      );
      // not recorded, or handed over meanwhile (the record may have been dropped): left as it is, so that
      // the checkpoint a resume reads stays true
      if (!recorded || o.handOver?.aborted) {
        phase('Failed');
        throw e;
      }
      await volume
        .unmarkSource(src.namespace, src.name)
        .catch(warn('unmarking the source PVC'));
      await volume.release().catch(warn('restoring the reclaim policy'));
    }
    // a give-back that failed leaves the run past the point of no return, and its resume finishes the move:
    // the workloads stay down, as the checkpoint says
    if (quiesced && (!past || givenBack))
      await restoreWorkloads(kc, pre.workloads, spec.id).catch(
        warn('restoring the workloads'),
      );
    // after the workloads are back, and while the phase still says RollingBack (a hand-over waits for it)
    if (givenBack)
      await startOver(checkpoint, o).catch(warn('recording the give-back'));
    phase(o.signal?.aborted && !past ? 'Cancelled' : 'Failed');
    throw e;
  }
}

/**
 * The checkpoint of a rollback before the point of no return: nothing done (the steps it undoes in the state
 * under ROLLED_BACK), so that whoever runs the transfer next starts over; re-running a step over what a
 * rollback left half-undone is safe, skipping one it undid is not.
 */
async function rolledBack(
  checkpoint: TransferCheckpoint,
  o: RebindOptions,
): Promise<void> {
  const undid = checkpoint.completedSteps.splice(0);
  checkpoint.state = { [ROLLED_BACK]: { undid } };
  delete checkpoint.pastPointOfNoReturn;
  checkpoint.updatedAt = new Date().toISOString();
  await o.onCheckpoint?.(structuredClone(checkpoint));
}

/** The checkpoint after a give-back: only GIVEN_BACK, with the steps it undid, and no point of no return. */
async function startOver(
  checkpoint: TransferCheckpoint,
  o: RebindOptions,
): Promise<void> {
  const undid = checkpoint.completedSteps.splice(0);
  checkpoint.completedSteps.push(GIVEN_BACK);
  checkpoint.state = { [GIVEN_BACK]: { undid } };
  delete checkpoint.pastPointOfNoReturn;
  checkpoint.updatedAt = new Date().toISOString();
  await o.onCheckpoint?.(structuredClone(checkpoint));
}

/**
 * After the source claim is gone the only way back is a new source claim for the same volume: the PV is
 * pointed at it by name (still Retain, never deleted), it binds, and only then the policy goes back.
 * A destination claim this transfer made goes first, so two claims never compete for the volume; a
 * claim the user made and the transfer adopted is let go of, never deleted.
 */
async function giveBack(
  volume: RebindVolume,
  o: RebindOptions,
  record: SourceRecord,
  adopted: PreconditionState['adopted'],
): Promise<void> {
  const { source: src, destination: dst, id } = o.spec;
  const made = await volume.readClaim(dst.namespace, dst.name);
  if (adopted) {
    await volume.pointAt(src.namespace, src.name);
    await volume.unadopt(dst.namespace, dst.name, adopted.uid);
  } else if (
    made?.metadata?.labels?.[LABEL_TRANSFER_ID] === id &&
    made.spec?.volumeName === volume.pvName
  ) {
    // the claim's bound uid is on the PV: re-pointing first keeps the PV from being Released to nothing
    await volume.pointAt(src.namespace, src.name);
    await volume.deleteClaim(dst.namespace, dst.name);
  }
  await volume.pointAt(src.namespace, src.name);
  let existing = await volume.readClaim(src.namespace, src.name);
  if (existing?.metadata?.deletionTimestamp) {
    // still being deleted: binding to it now would lose the volume when it goes; if it never goes, the
    // volume stays Retain (this throws before the policy is restored)
    await volume.waitGone(src.namespace, src.name, {
      timeoutMs: o.timeouts?.deleteMs ?? 120_000,
    });
    existing = undefined;
  }
  if (!existing) {
    // the source as it was: its labels and annotations, but none of the binder's or ours
    await volume.createClaim(src.namespace, src.name, record, {
      ...inheritedMetadata(record),
      ours: false,
    });
  }
  await volume.completeClaimRef(src.namespace, src.name);
  await waitBound(volume, src.namespace, src.name, {
    timeoutMs: o.timeouts?.bindMs ?? 120_000,
  });
  await volume.release();
}
