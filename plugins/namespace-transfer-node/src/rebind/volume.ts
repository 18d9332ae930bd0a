import {
  CoreV1Api,
  type KubeConfig,
  type V1PersistentVolume,
  type V1PersistentVolumeClaim,
} from '@kubernetes/client-node';
import { httpStatus, retryOnConflict, withRetry } from '../clusters';
import { LABEL_TRANSFER_ID } from '../naming';
import { pollUntil } from '../kube';
import {
  HELD_BY,
  RECORDED_RECLAIM_POLICY,
  TRANSFERRED_FROM,
  TRANSFERRING,
  TRANSFERRING_TO,
} from './annotations';
import type { SourceRecord } from './types';

export class ClaimTakenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClaimTakenError';
  }
}

/**
 * The object operations of a rebind. Each is a read-modify-write with the read resourceVersion (a
 * concurrent change is a 409 and a fresh retry, never a lost update), and each is a no-op when an earlier
 * run already did it, so a resumed run can repeat any of them.
 */
export class RebindVolume {
  readonly core: CoreV1Api;

  constructor(
    kc: KubeConfig,
    readonly transferId: string,
    readonly pvName: string,
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
  }

  private async readPv(): Promise<V1PersistentVolume> {
    return withRetry(() =>
      this.core.readPersistentVolume({ name: this.pvName }),
    );
  }

  private async updatePv(
    change: (pv: V1PersistentVolume) => boolean,
  ): Promise<V1PersistentVolume> {
    return retryOnConflict(async () => {
      const pv = await this.readPv();
      if (!change(pv)) return pv;
      return this.core.replacePersistentVolume({ name: this.pvName, body: pv });
    });
  }

  private own(pv: V1PersistentVolume): Record<string, string> {
    const ann = (pv.metadata!.annotations ??= {});
    const holder = ann[HELD_BY];
    if (holder && holder !== this.transferId)
      throw new Error(
        `PersistentVolume ${this.pvName} is held by transfer ${holder}`,
      );
    return ann;
  }

  /** Takes the volume for this transfer and records its reclaim policy (the first recorded value stays). */
  async hold(): Promise<string> {
    const held = await this.updatePv(pv => {
      const ann = this.own(pv);
      if (ann[HELD_BY] && ann[RECORDED_RECLAIM_POLICY]) return false;
      ann[HELD_BY] = this.transferId;
      ann[RECORDED_RECLAIM_POLICY] ??=
        pv.spec?.persistentVolumeReclaimPolicy ?? 'Delete';
      return true;
    });
    return held.metadata!.annotations![RECORDED_RECLAIM_POLICY];
  }

  async setReclaimPolicy(policy: string): Promise<void> {
    await this.updatePv(pv => {
      this.own(pv);
      if (pv.spec!.persistentVolumeReclaimPolicy === policy) return false;
      pv.spec!.persistentVolumeReclaimPolicy = policy;
      return true;
    });
  }

  /** Puts the recorded policy back and lets go of the volume (only if this transfer holds it). */
  async release(): Promise<void> {
    await this.updatePv(pv => {
      const ann = pv.metadata?.annotations ?? {};
      if (ann[HELD_BY] !== this.transferId) return false;
      if (ann[RECORDED_RECLAIM_POLICY])
        pv.spec!.persistentVolumeReclaimPolicy = ann[RECORDED_RECLAIM_POLICY];
      delete ann[HELD_BY];
      delete ann[RECORDED_RECLAIM_POLICY];
      return true;
    });
  }

  /**
   * Points the claimRef at a claim by name and namespace only: the uid and resourceVersion of the old claim
   * would make the binder treat the volume as Released to a claim that no longer exists. With a uid (a
   * claim the user made, which exists already) the volume is pre-bound to that very claim.
   */
  async pointAt(namespace: string, name: string, uid?: string): Promise<void> {
    // a uid of a claim of that name that no longer exists (the deleted source) must go as well
    const live = uid ?? (await this.readClaim(namespace, name))?.metadata?.uid;
    await this.updatePv(pv => {
      this.own(pv);
      const ref = pv.spec?.claimRef;
      const same = uid ? ref?.uid === uid : !ref?.uid || ref.uid === live;
      if (ref?.namespace === namespace && ref?.name === name && same)
        return false;
      pv.spec!.claimRef = {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace,
        name,
        ...(uid ? { uid } : {}),
      };
      return true;
    });
  }

  /**
   * The user's claim this transfer adopts, as it was when the preconditions passed (same uid), not being
   * deleted and bound to no other volume; anything else means someone changed it meanwhile.
   */
  async adoptable(
    namespace: string,
    name: string,
    uid: string,
  ): Promise<V1PersistentVolumeClaim> {
    const c = await this.readClaim(namespace, name);
    const what = `PVC ${namespace}/${name}, the claim this transfer adopts,`;
    if (!c || c.metadata?.uid !== uid || c.metadata.deletionTimestamp)
      throw new ClaimTakenError(`${what} was deleted or replaced meanwhile`);
    const bound = c.spec?.volumeName;
    if (bound && bound !== this.pvName)
      throw new ClaimTakenError(`${what} was bound to ${bound} meanwhile`);
    return c;
  }

  /**
   * Binds the volume to the user's claim: the claimRef with the claim's uid (a pre-bound pair, which the
   * binder completes), and the claim's spec.volumeName, which the API lets be set once on a claim that
   * has none. The source's labels and annotations are added only where the claim has none of its own.
   */
  async adoptClaim(
    namespace: string,
    name: string,
    uid: string,
    meta: {
      from: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
    },
  ): Promise<void> {
    await this.adoptable(namespace, name, uid);
    await this.pointAt(namespace, name, uid);
    await retryOnConflict(async () => {
      const c = await this.adoptable(namespace, name, uid);
      const m = c.metadata!;
      let changed = !c.spec?.volumeName;
      c.spec!.volumeName ||= this.pvName;
      const add = (map: Record<string, string>, k: string, v: string) => {
        if (k in map) return;
        map[k] = v;
        changed = true;
      };
      for (const [k, v] of Object.entries(meta.labels))
        add((m.labels ??= {}), k, v);
      const ann = (m.annotations ??= {});
      for (const [k, v] of Object.entries(meta.annotations)) add(ann, k, v);
      if (ann[TRANSFERRED_FROM] !== meta.from) {
        ann[TRANSFERRED_FROM] = meta.from;
        changed = true;
      }
      if (!changed) return;
      await this.core.replaceNamespacedPersistentVolumeClaim({
        namespace,
        name,
        body: c,
      });
    });
  }

  /**
   * A give-back's side of an adopted claim: the user's claim is never deleted, and its spec.volumeName
   * cannot be cleared (the API allows setting it once, never changing it), so the claim stays, naming a
   * volume that is pointed at another claim: the binder leaves it Pending ("already bound to a different
   * claim"), or Lost if it had been Bound, until the user deletes it. Only our annotation goes.
   */
  async unadopt(namespace: string, name: string, uid: string): Promise<void> {
    await retryOnConflict(async () => {
      const c = await this.readClaim(namespace, name);
      const ann = c?.metadata?.annotations;
      if (c?.metadata?.uid !== uid || !ann?.[TRANSFERRED_FROM]) return;
      delete ann[TRANSFERRED_FROM];
      await this.core.replaceNamespacedPersistentVolumeClaim({
        namespace,
        name,
        body: c,
      });
    });
  }

  async claimRef() {
    return (await this.readPv()).spec?.claimRef;
  }

  async readClaim(
    namespace: string,
    name: string,
  ): Promise<V1PersistentVolumeClaim | undefined> {
    try {
      return await withRetry(() =>
        this.core.readNamespacedPersistentVolumeClaim({ namespace, name }),
      );
    } catch (e) {
      if (httpStatus(e) === 404) return undefined;
      throw e;
    }
  }

  /** Marks the source claim as being transferred and records what the destination claim is made from. */
  async markSource(
    namespace: string,
    name: string,
    to: string,
  ): Promise<SourceRecord> {
    const pvc = await retryOnConflict(async () => {
      const c = await this.readClaim(namespace, name);
      if (!c) throw new Error(`source PVC ${namespace}/${name} is gone`);
      if (c.spec?.volumeName !== this.pvName)
        throw new Error(
          `source PVC ${namespace}/${name} is no longer bound to ${this.pvName}`,
        );
      const ann = (c.metadata!.annotations ??= {});
      if (ann[TRANSFERRING] && ann[TRANSFERRING] !== this.transferId)
        throw new Error(
          `source PVC ${namespace}/${name} is being transferred by ${ann[TRANSFERRING]}`,
        );
      if (ann[TRANSFERRING] === this.transferId && ann[TRANSFERRING_TO] === to)
        return c;
      ann[TRANSFERRING] = this.transferId;
      ann[TRANSFERRING_TO] = to;
      return this.core.replaceNamespacedPersistentVolumeClaim({
        namespace,
        name,
        body: c,
      });
    });
    const { accessModes, storageClassName, volumeMode, resources } = pvc.spec!;
    const annotations = { ...pvc.metadata?.annotations };
    delete annotations[TRANSFERRING];
    delete annotations[TRANSFERRING_TO];
    return {
      uid: pvc.metadata!.uid!,
      volumeName: this.pvName,
      spec: {
        accessModes,
        storageClassName,
        volumeMode,
        resources: { requests: resources?.requests },
      },
      labels: { ...pvc.metadata?.labels },
      annotations,
    };
  }

  /** Rollback before the point of no return: the source claim loses its mark. */
  async unmarkSource(namespace: string, name: string): Promise<void> {
    await retryOnConflict(async () => {
      const c = await this.readClaim(namespace, name);
      const ann = c?.metadata?.annotations;
      if (!c || ann?.[TRANSFERRING] !== this.transferId) return;
      delete ann[TRANSFERRING];
      delete ann[TRANSFERRING_TO];
      await this.core.replaceNamespacedPersistentVolumeClaim({
        namespace,
        name,
        body: c,
      });
    });
  }

  /**
   * Deletes the source claim (only the one recorded: a uid precondition) and waits until it is gone; the
   * pvc-protection finalizer keeps it while any scheduled pod, finished ones included, references it.
   */
  async deleteSource(
    namespace: string,
    name: string,
    uid: string,
    opts: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<void> {
    try {
      await withRetry(() =>
        this.core.deleteNamespacedPersistentVolumeClaim({
          namespace,
          name,
          body: { preconditions: { uid } },
        }),
      );
    } catch (e) {
      // 404: gone already; 409: the uid differs, i.e. ours is gone and someone made a new one
      if (httpStatus(e) !== 404 && httpStatus(e) !== 409) throw e;
    }
    let finalizers: string[] = [];
    await pollUntil(
      async () => {
        const c = await this.readClaim(namespace, name);
        finalizers = c?.metadata?.finalizers ?? [];
        return !c || c.metadata?.uid !== uid ? true : undefined;
      },
      {
        timeoutMs: opts.timeoutMs,
        intervalMs: 250,
        signal: opts.signal,
        what: `PVC ${namespace}/${name} to go (finalizers: ${finalizers.join(', ') || 'none'}; a pod that still references it keeps it)`,
      },
    );
  }

  async deleteClaim(namespace: string, name: string): Promise<void> {
    try {
      await withRetry(() =>
        this.core.deleteNamespacedPersistentVolumeClaim({ namespace, name }),
      );
    } catch (e) {
      if (httpStatus(e) !== 404) throw e;
    }
  }

  /**
   * Pods that would keep the claim from going: pvc-protection waits for every scheduled pod that references
   * it, finished ones included, until the pod object is deleted (waitUntilUnmounted ignores finished pods).
   */
  async podsHoldingClaim(namespace: string, name: string): Promise<string[]> {
    const pods = (
      await withRetry(() => this.core.listNamespacedPod({ namespace }))
    ).items;
    return pods
      .filter(
        p =>
          !p.metadata?.deletionTimestamp &&
          p.spec?.nodeName &&
          (p.spec.volumes ?? []).some(
            v => v.persistentVolumeClaim?.claimName === name,
          ),
      )
      .map(p => `${p.metadata!.name} (${p.status?.phase ?? 'unknown'})`);
  }

  /** Waits until a claim that is being deleted is gone (a claim cannot be un-deleted). */
  async waitGone(
    namespace: string,
    name: string,
    opts: { timeoutMs: number },
  ): Promise<void> {
    await pollUntil(
      async () => ((await this.readClaim(namespace, name)) ? undefined : true),
      {
        timeoutMs: opts.timeoutMs,
        intervalMs: 250,
        what: `PVC ${namespace}/${name} to finish being deleted`,
      },
    );
  }

  /** Creates a claim for the volume by name (idempotent: a claim this transfer made is adopted). */
  async createClaim(
    namespace: string,
    name: string,
    record: SourceRecord,
    extra: {
      from?: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
      /**
       * false for the source claim given back after a failure: it is the source again, as it was, not
       * something this transfer made (default true)
       */
      ours?: boolean;
    },
  ): Promise<V1PersistentVolumeClaim> {
    const ours = extra.ours !== false;
    const body: V1PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name,
        namespace,
        labels: {
          ...extra.labels,
          ...(ours ? { [LABEL_TRANSFER_ID]: this.transferId } : {}),
        },
        annotations:
          extra.from || extra.annotations
            ? {
                ...extra.annotations,
                ...(extra.from ? { [TRANSFERRED_FROM]: extra.from } : {}),
              }
            : undefined,
      },
      spec: { ...record.spec, volumeName: this.pvName },
    };
    try {
      return await withRetry(() =>
        this.core.createNamespacedPersistentVolumeClaim({ namespace, body }),
      );
    } catch (e) {
      if (httpStatus(e) !== 409) throw e;
    }
    const existing = await this.readClaim(namespace, name);
    if (!existing) return this.createClaim(namespace, name, record, extra);
    if (
      (ours &&
        existing.metadata?.labels?.[LABEL_TRANSFER_ID] !== this.transferId) ||
      existing.spec?.volumeName !== this.pvName
    ) {
      throw new ClaimTakenError(
        `PVC ${namespace}/${name} appeared meanwhile and does not belong to transfer ${this.transferId}`,
      );
    }
    return existing;
  }

  /**
   * What the PV controller's bind() writes first, done as soon as the claim exists: the claimRef gets the
   * claim's uid and resourceVersion. The volume's own sync then finds the claim naming it and marks it
   * Bound, whether or not the controller's sync of the claim (which it drops on a stale copy until its
   * next periodic sync) got that far. Only a claimRef naming this claim without a uid is completed.
   */
  async completeClaimRef(namespace: string, name: string): Promise<void> {
    const claim = await this.readClaim(namespace, name);
    if (!claim || claim.spec?.volumeName !== this.pvName) return;
    await this.updatePv(pv => {
      this.own(pv);
      const ref = pv.spec?.claimRef;
      if (ref?.namespace !== namespace || ref?.name !== name || ref.uid)
        return false;
      ref.uid = claim.metadata!.uid;
      ref.resourceVersion = claim.metadata!.resourceVersion;
      return true;
    });
  }
}
