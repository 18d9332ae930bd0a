import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { R } from '../kube/resources';
import { ApiError, isNotFound } from '../kube/rest';
import {
  keyOf,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '../kube/types';
import { BinderWrites } from './bind';
import {
  ANN,
  claimClass,
  findBestMatch,
  isVolumeBoundToClaim,
  volumeUnsuitableReason,
} from './matching';
import { ControllerStore } from './store';

const COMPONENT = 'persistentvolume-controller';

/** kube-controller-manager's --pvclaimbinder-sync-period default */
export const DEFAULT_PV_SYNC_PERIOD_MS = 15_000;

export interface PvBinderOptions {
  /** how often every claim and volume is synced again (--pvclaimbinder-sync-period; default 15 s) */
  syncPeriodMs?: number;
  /**
   * kube-sim's former binder, for benchmark baselines only: a volume change also syncs the claim it names
   * and a failed sync is retried with backoff, so nothing ever waits for the periodic sync
   */
  instant?: boolean;
}

export interface PvBinder extends Stoppable {
  /** periodic syncs so far (tests observe that a binding did not need one) */
  readonly resyncs: number;
  /** runs the periodic sync now, as if its period had passed */
  resync(): void;
}

/**
 * The PersistentVolume controller of kube-controller-manager (pv_controller_base.go, pv_controller.go):
 * one worker for claims and one for volumes, each syncing from the controller's own copies of both. A
 * sync that fails (typically a 409 because its copy was stale) is not retried: the object waits for its
 * next change or for the periodic sync, which is how a real binding can take up to a sync period.
 */
export function startPvBinder(
  ctx: ControllerContext,
  opts: PvBinderOptions = {},
): PvBinder {
  const { rest } = ctx;
  const events = ctx.recorder(COMPONENT);
  const pvs = ctx.informers.get<PersistentVolume>(R.persistentvolumes);
  const pvcs = ctx.informers.get<PersistentVolumeClaim>(
    R.persistentvolumeclaims,
  );
  const classes = ctx.informers.get<StorageClass>(R.storageclasses);
  const volumes = new ControllerStore<PersistentVolume>();
  const claims = new ControllerStore<PersistentVolumeClaim>();
  const write = new BinderWrites(rest, volumes, claims);

  const isDelayBinding = (pvc: PersistentVolumeClaim) => {
    const sc = classes.getByName(undefined, claimClass(pvc));
    return sc?.volumeBindingMode === 'WaitForFirstConsumer';
  };

  /** upstream logs a failed sync and drops it; the instant binder retries it with backoff */
  const failed = (what: string) => (e: unknown) => {
    ctx.log(COMPONENT, `could not sync ${what}: ${(e as Error)?.message ?? e}`);
    if (opts.instant) throw e;
  };

  // one worker each, as upstream (syncClaim and syncVolume are not reentrant)
  const claimQueue = ctx.queue('pv-binder-claims', claimWorker, 1);
  const volumeQueue = ctx.queue('pv-binder-volumes', volumeWorker, 1);

  async function claimWorker(key: string): Promise<void> {
    const pvc = pvcs.get(key);
    if (pvc) {
      if (!claims.update(pvc)) return;
      await syncClaim(pvc).catch(failed(`claim ${key}`));
      return;
    }
    const gone = claims.get(key);
    if (!gone) return;
    claims.delete(key);
    // the volume of a deleted claim is released now, not at the next periodic sync
    if (gone.spec?.volumeName) volumeQueue.add(gone.spec.volumeName);
  }

  async function volumeWorker(name: string): Promise<void> {
    const pv = pvs.get(name);
    if (pv) {
      if (!volumes.update(pv)) return;
      await syncVolume(pv).catch(failed(`volume ${name}`));
      return;
    }
    const gone = volumes.get(name);
    if (!gone) return;
    volumes.delete(name);
    // the claim of a deleted volume is Lost now, not at the next periodic sync
    const ref = gone.spec?.claimRef;
    if (ref) claimQueue.add(`${ref.namespace}/${ref.name}`);
  }

  async function provisionOrWait(pvc: PersistentVolumeClaim): Promise<void> {
    const className = claimClass(pvc);
    let claim = pvc;
    if (isDelayBinding(pvc) && !pvc.metadata?.annotations?.[ANN.selectedNode]) {
      events.record(
        claimObj(pvc),
        'Normal',
        'WaitForFirstConsumer',
        'waiting for first consumer to be created before binding',
      );
    } else if (className) {
      const sc = classes.getByName(undefined, className);
      if (!sc) {
        events.record(
          claimObj(pvc),
          'Warning',
          'ProvisioningFailed',
          `storageclass.storage.k8s.io "${className}" not found`,
        );
      } else if (sc.provisioner === 'kubernetes.io/no-provisioner') {
        events.record(
          claimObj(pvc),
          'Normal',
          'FailedBinding',
          'no persistent volumes available for this claim and no storage class is set',
        );
      } else {
        claim = await setClaimProvisioner(pvc, sc.provisioner as string);
      }
    } else {
      events.record(
        claimObj(pvc),
        'Normal',
        'FailedBinding',
        'no persistent volumes available for this claim and no storage class is set',
      );
    }
    await write.claimStatus(claim, 'Pending');
  }

  /** setClaimProvisioner upstream: the external provisioner takes it from here */
  async function setClaimProvisioner(
    pvc: PersistentVolumeClaim,
    provisioner: string,
  ): Promise<PersistentVolumeClaim> {
    const ann = pvc.metadata?.annotations ?? {};
    if (
      ann[ANN.storageProvisioner] === provisioner &&
      ann[ANN.betaStorageProvisioner] === provisioner
    )
      return pvc;
    const next = structuredClone(pvc);
    next.metadata = {
      ...next.metadata,
      annotations: {
        ...ann,
        [ANN.storageProvisioner]: provisioner,
        [ANN.betaStorageProvisioner]: provisioner,
      },
    };
    const saved = await write.updateClaim(next);
    events.record(
      claimObj(pvc),
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
    return saved;
  }

  async function syncUnboundClaim(pvc: PersistentVolumeClaim): Promise<void> {
    const volumeName = pvc.spec?.volumeName;
    if (!volumeName) {
      const pv = findBestMatch(pvc, volumes.list(), {
        delayBinding: isDelayBinding(pvc),
      });
      if (pv) await write.bind(pv, pvc);
      else await provisionOrWait(pvc);
      return;
    }
    const pv = volumes.get(volumeName);
    if (!pv) {
      // The user asked for a volume that does not exist (yet): stay Pending until a later sync finds it.
      await write.claimStatus(pvc, 'Pending');
      return;
    }
    if (!pv.spec?.claimRef) {
      const why = volumeUnsuitableReason(pv, pvc);
      if (why) {
        events.record(
          claimObj(pvc),
          'Warning',
          'VolumeMismatch',
          `Cannot bind to requested volume "${volumeName}": ${why}`,
        );
        await write.claimStatus(pvc, 'Pending');
        return;
      }
      await write.bind(pv, pvc);
      return;
    }
    if (isVolumeBoundToClaim(pv, pvc)) {
      // pre-bound to this claim: finishing the binding writes the claim's uid into the volume
      await write.bind(pv, pvc);
      return;
    }
    if (pvc.metadata?.annotations?.[ANN.boundByController])
      throw new Error(
        `invalid binding of claim ${keyOf(pvc)} to volume ${volumeName}: volume already claimed by ${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}`,
      );
    // The user asked for a volume another claim holds: retried at the next sync of this claim.
    events.record(
      claimObj(pvc),
      'Warning',
      'FailedBinding',
      `volume "${volumeName}" already bound to a different claim.`,
    );
    await write.claimStatus(pvc, 'Pending');
  }

  async function syncBoundClaim(pvc: PersistentVolumeClaim): Promise<void> {
    const volumeName = pvc.spec?.volumeName;
    const lost = async (reason: string, message: string) => {
      if (pvc.status?.phase === 'Lost') return;
      const saved = await write.claimStatus(pvc, 'Lost');
      events.record(claimObj(saved), 'Warning', reason, message);
    };
    if (!volumeName) {
      await lost(
        'ClaimLost',
        'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!',
      );
      return;
    }
    const pv = volumes.get(volumeName);
    if (!pv) {
      await lost(
        'ClaimLost',
        'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
      );
      return;
    }
    // unbound volume (or one whose update the controller has not seen yet), or all is well: bind() fixes
    // whatever is missing and writes nothing otherwise
    if (!pv.spec?.claimRef || pv.spec.claimRef.uid === pvc.metadata?.uid) {
      await write.bind(pv, pvc);
      return;
    }
    await lost(
      'ClaimMisbound',
      'Two claims are bound to the same volume, this one is bound incorrectly',
    );
  }

  /**
   * RetroactiveDefaultStorageClass (GA in 1.28): an unbound claim created without any class gets the
   * default class once one exists. Returns true when the claim was updated (its next event continues).
   */
  async function assignDefaultClass(
    pvc: PersistentVolumeClaim,
  ): Promise<boolean> {
    if (
      pvc.spec?.storageClassName !== undefined &&
      pvc.spec?.storageClassName !== null
    )
      return false;
    if (
      pvc.metadata?.annotations?.[ANN.betaStorageClass] !== undefined ||
      pvc.spec?.volumeName
    )
      return false;
    const sc = classes
      .list()
      .filter(
        c =>
          c.metadata?.annotations?.[
            'storageclass.kubernetes.io/is-default-class'
          ] === 'true',
      )
      .sort((a, b) =>
        (b.metadata?.creationTimestamp ?? '').localeCompare(
          a.metadata?.creationTimestamp ?? '',
        ),
      )[0];
    if (!sc) return false;
    try {
      const next = structuredClone(pvc);
      next.spec = { ...next.spec, storageClassName: sc.metadata?.name };
      await write.updateClaim(next);
      return true;
    } catch (e) {
      // An API server that does not allow setting the class afterwards: bind as a class-less claim.
      if (e instanceof ApiError && e.code === 422) {
        ctx.log(
          COMPONENT,
          `cannot assign default class to ${keyOf(pvc)}: ${e.message}`,
        );
        return false;
      }
      throw e;
    }
  }

  async function syncClaim(pvc: PersistentVolumeClaim): Promise<void> {
    if (pvc.metadata?.deletionTimestamp) return;
    if (pvc.metadata?.annotations?.[ANN.bindCompleted])
      await syncBoundClaim(pvc);
    // a claim that just got the default class continues with its update event
    else if (!(await assignDefaultClass(pvc))) await syncUnboundClaim(pvc);
  }

  /** The claim a volume names, from the controller's copy, else the informer or the API server. */
  async function claimOf(
    pv: PersistentVolume,
  ): Promise<PersistentVolumeClaim | undefined> {
    const ref = pv.spec?.claimRef;
    const key = `${ref?.namespace}/${ref?.name}`;
    let claim = claims.get(key);
    // a claim created a moment ago may not have reached the controller yet: look further before
    // releasing anything (a volume already Released or Failed has nothing to lose)
    const settled =
      pv.status?.phase === 'Released' || pv.status?.phase === 'Failed';
    if (!claim && !settled) claim = pvcs.get(key);
    if (!claim && !settled) {
      claim = await rest
        .get<PersistentVolumeClaim>(
          R.persistentvolumeclaims,
          ref?.namespace,
          ref?.name as string,
        )
        .catch(e => {
          if (isNotFound(e)) return undefined;
          throw e;
        });
    }
    return claim?.metadata?.uid === ref?.uid ? claim : undefined;
  }

  async function syncVolume(pv: PersistentVolume): Promise<void> {
    if (pv.metadata?.deletionTimestamp) return;
    const ref = pv.spec?.claimRef;
    if (!ref || !ref.uid) {
      // Unclaimed, or pre-bound by a user to a claim that has not bound yet: the claim's sync binds it.
      await write.volumePhase(pv, 'Available');
      return;
    }
    const claim = await claimOf(pv);
    if (!claim) {
      await releaseAndReclaim(pv);
      return;
    }
    const name = pv.metadata?.name as string;
    if (!claim.spec?.volumeName) {
      // half bound (by the controller, or a provisioner's pre-bound volume): the claim's sync finishes it,
      // queued now rather than at the next periodic sync
      claimQueue.add(keyOf(claim));
      return;
    }
    if (claim.spec.volumeName === name) {
      await write.volumePhase(pv, 'Bound');
      return;
    }
    if (
      pv.metadata?.annotations?.[ANN.provisionedBy] &&
      pv.spec?.persistentVolumeReclaimPolicy === 'Delete'
    ) {
      // provisioned for this claim, which went elsewhere: not needed any more
      await releaseAndReclaim(pv);
      return;
    }
    // bound by the controller to a claim that got another volume: undo it; pre-bound by a user: keep
    // the claimRef but drop the uid, waiting for that claim again
    await write.unbindVolume(pv);
  }

  async function releaseAndReclaim(pv: PersistentVolume): Promise<void> {
    const name = pv.metadata?.name as string;
    let cur = pv;
    if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed')
      cur = await write.volumePhase(pv, 'Released');
    const policy = cur.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    if (policy === 'Retain') return;
    if (policy === 'Delete') {
      // Volumes of an external provisioner are deleted by it; nothing in-tree can delete any other.
      if (cur.metadata?.annotations?.[ANN.provisionedBy]) return;
      const msg = `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`;
      if (cur.status?.phase !== 'Failed')
        events.record(pvObj(cur), 'Warning', 'VolumeFailedDelete', msg);
      await write.volumePhase(cur, 'Failed', msg);
      return;
    }
    const msg = 'No recycler plugin found for the volume!';
    if (cur.status?.phase !== 'Failed')
      events.record(pvObj(cur), 'Warning', 'VolumeFailedRecycle', msg);
    await write.volumePhase(cur, 'Failed', msg);
  }

  // kube-controller-manager's shared informers re-deliver objects only every 12 h or more: kube-sim's
  // informer resync (same object twice) is not a sync of this controller, its own period is
  const changed = <T>(old: T, cur: T) => old !== cur;
  pvcs.addHandlers({
    add: o => claimQueue.add(keyOf(o)),
    update: (old, o) => changed(old, o) && claimQueue.add(keyOf(o)),
    delete: o => claimQueue.add(keyOf(o)),
  });
  pvs.addHandlers({
    add: o => volumeQueue.add(keyOf(o)),
    update: (old, o) => {
      if (!changed(old, o)) return;
      volumeQueue.add(keyOf(o));
      if (opts.instant) syncClaimsOf(o);
    },
    delete: o => volumeQueue.add(keyOf(o)),
  });
  if (opts.instant)
    classes.addHandlers({ add: () => pvcs.list().forEach(unboundToQueue) });

  function syncClaimsOf(pv: PersistentVolume) {
    const ref = pv.spec?.claimRef;
    if (ref) claimQueue.add(`${ref.namespace}/${ref.name}`);
    else pvcs.list().forEach(unboundToQueue);
  }
  function unboundToQueue(c: PersistentVolumeClaim) {
    if (c.status?.phase !== 'Bound') claimQueue.add(keyOf(c));
  }

  let resyncs = 0;
  const resync = () => {
    resyncs++;
    for (const c of pvcs.list()) claimQueue.add(keyOf(c));
    for (const v of pvs.list()) volumeQueue.add(keyOf(v));
  };
  const timer = setInterval(
    resync,
    opts.syncPeriodMs ?? DEFAULT_PV_SYNC_PERIOD_MS,
  );
  timer.unref();

  return {
    get resyncs() {
      return resyncs;
    },
    resync,
    stop: async () => clearInterval(timer),
  };
}

function claimObj(pvc: PersistentVolumeClaim) {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: pvc.metadata,
  };
}

function pvObj(pv: PersistentVolume) {
  return { apiVersion: 'v1', kind: 'PersistentVolume', metadata: pv.metadata };
}
