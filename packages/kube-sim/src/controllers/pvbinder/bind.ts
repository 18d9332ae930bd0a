import { R } from '../kube/resources';
import type { RestClient } from '../kube/rest';
import type { PersistentVolume, PersistentVolumeClaim } from '../kube/types';
import { ANN, isVolumeBoundToClaim } from './matching';
import type { ControllerStore } from './store';

const same = (a: unknown, b: unknown) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The PV controller's writes, as upstream: each starts from the object the controller holds (its
 * resourceVersion included, so a stale copy is a 409 that fails the sync, never a re-read and retry),
 * writes only what changed, and stores what the API server returned.
 */
export class BinderWrites {
  constructor(
    private readonly rest: RestClient,
    private readonly volumes: ControllerStore<PersistentVolume>,
    private readonly claims: ControllerStore<PersistentVolumeClaim>,
  ) {}

  async updateVolume(pv: PersistentVolume): Promise<PersistentVolume> {
    const saved = await this.rest.update<PersistentVolume>(
      R.persistentvolumes,
      pv,
    );
    this.volumes.update(saved);
    return saved;
  }

  async updateClaim(
    pvc: PersistentVolumeClaim,
  ): Promise<PersistentVolumeClaim> {
    const saved = await this.rest.update<PersistentVolumeClaim>(
      R.persistentvolumeclaims,
      pvc,
    );
    this.claims.update(saved);
    return saved;
  }

  /** updateVolumePhase: only a change of phase is written */
  async volumePhase(
    pv: PersistentVolume,
    phase: string,
    message?: string,
  ): Promise<PersistentVolume> {
    if (pv.status?.phase === phase) return pv;
    const next = structuredClone(pv);
    next.status = { ...next.status, phase, message };
    if (message === undefined) delete next.status.message;
    const saved = await this.rest.updateStatus<PersistentVolume>(
      R.persistentvolumes,
      next,
    );
    this.volumes.update(saved);
    return saved;
  }

  /**
   * updateClaimStatus: a Bound claim reports the volume's capacity and access modes, a Pending or Lost one
   * none; nothing is written when all of that is already so.
   */
  async claimStatus(
    pvc: PersistentVolumeClaim,
    phase: string,
    pv?: PersistentVolume,
  ): Promise<PersistentVolumeClaim> {
    const status = { ...pvc.status, phase };
    if (pv) {
      status.capacity = pv.spec?.capacity;
      status.accessModes = pv.spec?.accessModes;
    } else {
      delete status.capacity;
      delete status.accessModes;
    }
    if (same(status, { ...pvc.status })) return pvc;
    const saved = await this.rest.updateStatus<PersistentVolumeClaim>(
      R.persistentvolumeclaims,
      { ...structuredClone(pvc), status },
    );
    this.claims.update(saved);
    return saved;
  }

  /** bindVolumeToClaim: the claimRef with the claim's uid and resourceVersion (GetReference upstream) */
  async bindVolumeToClaim(
    pv: PersistentVolume,
    pvc: PersistentVolumeClaim,
  ): Promise<PersistentVolume> {
    const ref = pv.spec?.claimRef;
    const next = structuredClone(pv);
    let dirty = false;
    if (
      !ref ||
      ref.name !== pvc.metadata?.name ||
      ref.namespace !== pvc.metadata?.namespace ||
      ref.uid !== pvc.metadata?.uid
    ) {
      next.spec = {
        ...next.spec,
        claimRef: {
          kind: 'PersistentVolumeClaim',
          apiVersion: 'v1',
          namespace: pvc.metadata?.namespace,
          name: pvc.metadata?.name,
          uid: pvc.metadata?.uid,
          resourceVersion: pvc.metadata?.resourceVersion,
        },
      };
      dirty = true;
    }
    // a volume the user pre-bound to this claim stays "bound by the user"
    if (
      !isVolumeBoundToClaim(pv, pvc) &&
      !next.metadata?.annotations?.[ANN.boundByController]
    ) {
      next.metadata = {
        ...next.metadata,
        annotations: {
          ...next.metadata?.annotations,
          [ANN.boundByController]: 'yes',
        },
      };
      dirty = true;
    }
    return dirty ? this.updateVolume(next) : pv;
  }

  /** bindClaimToVolume: spec.volumeName and the bind-completed annotation */
  async bindClaimToVolume(
    pvc: PersistentVolumeClaim,
    pv: PersistentVolume,
  ): Promise<PersistentVolumeClaim> {
    const name = pv.metadata?.name as string;
    const annotations = { ...pvc.metadata?.annotations };
    const byController = pvc.spec?.volumeName !== name;
    if (byController) annotations[ANN.boundByController] ??= 'yes';
    annotations[ANN.bindCompleted] ??= 'yes';
    if (!byController && same(annotations, pvc.metadata?.annotations ?? {}))
      return pvc;
    const next = structuredClone(pvc);
    next.metadata = { ...next.metadata, annotations };
    next.spec = { ...next.spec, volumeName: name };
    return this.updateClaim(next);
  }

  /**
   * bind() upstream: volume first, then its phase, then the claim and its phase; the first failure ends
   * it, and whatever is left waits for the next sync of either object.
   */
  async bind(pv: PersistentVolume, pvc: PersistentVolumeClaim): Promise<void> {
    let volume = await this.bindVolumeToClaim(pv, pvc);
    volume = await this.volumePhase(volume, 'Bound');
    const claim = await this.bindClaimToVolume(pvc, volume);
    await this.claimStatus(claim, 'Bound', volume);
  }

  /**
   * unbindVolume: a volume the controller bound loses its claimRef; one the user pre-bound keeps it
   * without the uid, waiting for its claim again.
   */
  async unbindVolume(pv: PersistentVolume): Promise<void> {
    const next = structuredClone(pv);
    if (next.metadata?.annotations?.[ANN.boundByController]) {
      delete next.spec?.claimRef;
      delete next.metadata.annotations[ANN.boundByController];
    } else if (next.spec?.claimRef) {
      delete next.spec.claimRef.uid;
    }
    await this.volumePhase(await this.updateVolume(next), 'Available');
  }
}
