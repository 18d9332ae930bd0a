import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { retryOnConflict } from '../../client/conflict';
import { R } from '../kube/resources';
import { ApiError, isNotFound } from '../kube/rest';
import {
  keyOf,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '../kube/types';
import { bindClaim, setClaimPhase, setVolumePhase } from './bind';
import {
  ANN,
  claimClass,
  findBestMatch,
  isVolumeBoundToClaim,
  volumeUnsuitableReason,
} from './matching';

const COMPONENT = 'persistentvolume-controller';

/**
 * The PersistentVolume controller of kube-controller-manager: binds claims to volumes, keeps both phases
 * right, marks volumes Released when their claim goes, and applies the reclaim policy (deletion of volumes
 * of an external provisioner is that provisioner's job, as upstream).
 */
export function startPvBinder(ctx: ControllerContext): Stoppable {
  const { rest } = ctx;
  const events = ctx.recorder(COMPONENT);
  const pvs = ctx.informers.get<PersistentVolume>(R.persistentvolumes);
  const pvcs = ctx.informers.get<PersistentVolumeClaim>(
    R.persistentvolumeclaims,
  );
  const classes = ctx.informers.get<StorageClass>(R.storageclasses);

  const isDelayBinding = (pvc: PersistentVolumeClaim) => {
    const sc = classes.getByName(undefined, claimClass(pvc));
    return sc?.volumeBindingMode === 'WaitForFirstConsumer';
  };

  const fresh = (pvc: PersistentVolumeClaim) =>
    rest.get<PersistentVolumeClaim>(
      R.persistentvolumeclaims,
      pvc.metadata?.namespace,
      pvc.metadata?.name as string,
    );

  // syncClaim and syncVolume (hoisted) queue each other's keys
  const claimQueue = ctx.queue('pv-binder-claims', key => syncClaim(key));
  const volumeQueue = ctx.queue('pv-binder-volumes', key => syncVolume(key));

  async function provisionOrWait(pvc: PersistentVolumeClaim): Promise<void> {
    const className = claimClass(pvc);
    const delay = isDelayBinding(pvc);
    if (delay && !pvc.metadata?.annotations?.[ANN.selectedNode]) {
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
        const ann = pvc.metadata?.annotations ?? {};
        if (
          ann[ANN.storageProvisioner] !== sc.provisioner ||
          ann[ANN.betaStorageProvisioner] !== sc.provisioner
        ) {
          await retryOnConflict(async () => {
            const cur = await rest.get<PersistentVolumeClaim>(
              R.persistentvolumeclaims,
              pvc.metadata?.namespace,
              pvc.metadata?.name as string,
            );
            const annotations = {
              ...cur.metadata?.annotations,
              [ANN.storageProvisioner]: sc.provisioner,
              [ANN.betaStorageProvisioner]: sc.provisioner,
            };
            return rest.update(R.persistentvolumeclaims, {
              ...cur,
              metadata: { ...cur.metadata, annotations },
            });
          });
          events.record(
            claimObj(pvc),
            'Normal',
            'ExternalProvisioning',
            `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
          );
        }
      }
    } else {
      events.record(
        claimObj(pvc),
        'Normal',
        'FailedBinding',
        'no persistent volumes available for this claim and no storage class is set',
      );
    }
    await claimPhase(pvc, 'Pending');
  }

  /** Phase changes from the cached object: only a change costs a read and a write. */
  async function claimPhase(
    pvc: PersistentVolumeClaim,
    phase: string,
  ): Promise<void> {
    if (pvc.status?.phase === phase && !pvc.status?.capacity) return;
    await retryOnConflict(async () =>
      setClaimPhase(rest, await fresh(pvc), phase),
    );
  }

  async function volumePhase(
    pv: PersistentVolume,
    phase: string,
  ): Promise<void> {
    if (pv.status?.phase === phase) return;
    await retryOnConflict(async () =>
      setVolumePhase(
        rest,
        await rest.get(
          R.persistentvolumes,
          undefined,
          pv.metadata?.name as string,
        ),
        phase,
      ),
    );
  }

  async function syncUnboundClaim(pvc: PersistentVolumeClaim): Promise<void> {
    const volumeName = pvc.spec?.volumeName;
    if (!volumeName) {
      const pv = findBestMatch(pvc, pvs.list(), {
        delayBinding: isDelayBinding(pvc),
      });
      if (pv) await bindClaim(rest, pv.metadata?.name as string, pvc);
      else await provisionOrWait(pvc);
      return;
    }
    const pv = pvs.getByName(undefined, volumeName);
    if (!pv) {
      // The user asked for a volume that does not exist (yet): stay Pending until it appears.
      await claimPhase(pvc, 'Pending');
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
        await claimPhase(pvc, 'Pending');
        return;
      }
      await bindClaim(rest, volumeName, pvc);
      return;
    }
    if (isVolumeBoundToClaim(pv, pvc)) {
      await bindClaim(rest, volumeName, pvc);
      return;
    }
    if (!pvc.metadata?.annotations?.[ANN.boundByController]) {
      events.record(
        claimObj(pvc),
        'Warning',
        'FailedBinding',
        `volume "${volumeName}" already bound to a different claim.`,
      );
    }
    await claimPhase(pvc, 'Pending');
  }

  async function syncBoundClaim(pvc: PersistentVolumeClaim): Promise<void> {
    const volumeName = pvc.spec?.volumeName;
    const lost = async (reason: string, message: string) => {
      if (pvc.status?.phase !== 'Lost')
        events.record(claimObj(pvc), 'Warning', reason, message);
      await claimPhase(pvc, 'Lost');
    };
    if (!volumeName) {
      await lost(
        'ClaimLost',
        'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!',
      );
      return;
    }
    const pv = pvs.getByName(undefined, volumeName);
    if (!pv) {
      await lost(
        'ClaimLost',
        'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
      );
      return;
    }
    if (!pv.spec?.claimRef) {
      await bindClaim(rest, volumeName, pvc);
      return;
    }
    if (pv.spec.claimRef.uid === pvc.metadata?.uid) {
      if (pvc.status?.phase !== 'Bound' || pv.status?.phase !== 'Bound')
        await bindClaim(rest, volumeName, pvc);
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
    const defaults = classes
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
      );
    const sc = defaults[0];
    if (!sc) return false;
    try {
      await retryOnConflict(async () => {
        const cur = await fresh(pvc);
        if (
          cur.spec?.storageClassName !== undefined &&
          cur.spec?.storageClassName !== null
        )
          return cur;
        return rest.update(R.persistentvolumeclaims, {
          ...cur,
          spec: { ...cur.spec, storageClassName: sc.metadata?.name },
        });
      });
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

  async function syncClaim(key: string): Promise<void> {
    const pvc = pvcs.get(key);
    if (!pvc || pvc.metadata?.deletionTimestamp) return;
    if (pvc.metadata?.annotations?.[ANN.bindCompleted])
      await syncBoundClaim(pvc);
    // a claim that just got the default class continues with its update event
    else if (!(await assignDefaultClass(pvc))) await syncUnboundClaim(pvc);
  }

  async function syncVolume(name: string): Promise<void> {
    const pv = pvs.getByName(undefined, name);
    if (!pv || pv.metadata?.deletionTimestamp) return;
    const ref = pv.spec?.claimRef;
    if (!ref || !ref.uid) {
      // Unclaimed, or pre-bound by a user to a claim that has not bound yet: available (for that claim only).
      if (ref) claimQueue.add(`${ref.namespace}/${ref.name}`);
      await volumePhase(pv, 'Available');
      return;
    }
    let claim = pvcs.getByName(ref.namespace, ref.name as string);
    if (claim && claim.metadata?.uid !== ref.uid) claim = undefined;
    if (!claim) {
      // The cache may lag behind a just-created claim: ask the API server before releasing, as upstream.
      try {
        const live = await rest.get<PersistentVolumeClaim>(
          R.persistentvolumeclaims,
          ref.namespace,
          ref.name as string,
        );
        if (live.metadata?.uid === ref.uid) claim = live;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    if (!claim) {
      await releaseAndReclaim(pv);
      return;
    }
    if (!claim.spec?.volumeName) {
      claimQueue.add(keyOf(claim));
      return;
    }
    if (claim.spec.volumeName === name) {
      await volumePhase(pv, 'Bound');
      return;
    }
    // The claim went to another volume: undo our half of a binding that lost the race.
    if (pv.metadata?.annotations?.[ANN.boundByController]) {
      await retryOnConflict(async () => {
        const cur = await rest.get<PersistentVolume>(
          R.persistentvolumes,
          undefined,
          name,
        );
        const annotations = { ...cur.metadata?.annotations };
        delete annotations[ANN.boundByController];
        const spec = { ...cur.spec };
        delete spec.claimRef;
        return rest.update(R.persistentvolumes, {
          ...cur,
          metadata: { ...cur.metadata, annotations },
          spec,
        });
      });
    }
  }

  async function releaseAndReclaim(pv: PersistentVolume): Promise<void> {
    const name = pv.metadata?.name as string;
    let cur = pv;
    if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') {
      cur = await retryOnConflict(async () =>
        setVolumePhase(
          rest,
          await rest.get(R.persistentvolumes, undefined, name),
          'Released',
        ),
      );
    }
    const policy = cur.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    if (policy === 'Retain' || cur.status?.phase === 'Failed') return;
    if (policy === 'Delete') {
      // Volumes of an external provisioner are deleted by it; nothing in-tree can delete any other.
      if (cur.metadata?.annotations?.[ANN.provisionedBy]) return;
      const msg = `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`;
      events.record(pvObj(cur), 'Warning', 'VolumeFailedDelete', msg);
      await retryOnConflict(async () =>
        setVolumePhase(
          rest,
          await rest.get(R.persistentvolumes, undefined, name),
          'Failed',
          msg,
        ),
      );
      return;
    }
    const msg = 'No recycler plugin found for the volume!';
    events.record(pvObj(cur), 'Warning', 'VolumeFailedRecycle', msg);
    await retryOnConflict(async () =>
      setVolumePhase(
        rest,
        await rest.get(R.persistentvolumes, undefined, name),
        'Failed',
        msg,
      ),
    );
  }

  pvcs.addHandlers({
    add: o => claimQueue.add(keyOf(o)),
    update: (_, o) => claimQueue.add(keyOf(o)),
    delete: o => {
      // The volume bound to a deleted claim must be released.
      if (o.spec?.volumeName) volumeQueue.add(o.spec.volumeName);
      for (const pv of pvs.list())
        if (pv.spec?.claimRef?.uid === o.metadata?.uid)
          volumeQueue.add(keyOf(pv));
    },
  });
  const onVolume = (o: PersistentVolume) => {
    volumeQueue.add(keyOf(o));
    // A volume that changed may now satisfy a waiting claim.
    const ref = o.spec?.claimRef;
    if (ref) claimQueue.add(`${ref.namespace}/${ref.name}`);
    else
      for (const c of pvcs.list())
        if (c.status?.phase !== 'Bound') claimQueue.add(keyOf(c));
  };
  pvs.addHandlers({
    add: onVolume,
    update: (_, o) => onVolume(o),
    delete: o => {
      const ref = o.spec?.claimRef;
      if (ref) claimQueue.add(`${ref.namespace}/${ref.name}`);
    },
  });
  classes.addHandlers({
    add: () =>
      pvcs
        .list()
        .forEach(c => c.status?.phase !== 'Bound' && claimQueue.add(keyOf(c))),
  });

  return { stop: async () => undefined };
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
