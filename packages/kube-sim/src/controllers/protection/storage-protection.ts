import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { retryOnConflict } from '../../client/conflict';
import { R } from '../kube/resources';
import { isNotFound } from '../kube/rest';
import {
  keyOf,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type Pod,
} from '../kube/types';

export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION = 'kubernetes.io/pv-protection';

/**
 * The pvc-protection and pv-protection controllers: the API server's StorageObjectInUseProtection admission
 * puts these finalizers on claims and volumes; a deleted claim keeps its finalizer while a scheduled pod
 * still references it, and a deleted volume while it is Bound.
 */
export function startStorageProtection(ctx: ControllerContext): Stoppable {
  const { rest } = ctx;
  const pvcs = ctx.informers.get<PersistentVolumeClaim>(
    R.persistentvolumeclaims,
  );
  const pvs = ctx.informers.get<PersistentVolume>(R.persistentvolumes);
  const pods = ctx.informers.get<Pod>(R.pods);

  // podUsesPVC upstream: only scheduled pods count (the kubelet refuses to start a pod whose claim is being
  // deleted), but every scheduled pod does, finished ones included, until the pod object itself is gone.
  const podUses = (p: Pod, claim: string) =>
    !!p.spec?.nodeName &&
    (p.spec?.volumes ?? []).some(
      v => v.persistentVolumeClaim?.claimName === claim,
    );

  async function dropFinalizer<
    T extends PersistentVolumeClaim | PersistentVolume,
  >(
    r: typeof R.persistentvolumeclaims | typeof R.persistentvolumes,
    obj: T,
    finalizer: string,
  ) {
    await retryOnConflict(async () => {
      let live: T;
      try {
        live = await rest.get<T>(
          r,
          obj.metadata?.namespace,
          obj.metadata?.name as string,
        );
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      if (
        live.metadata?.uid !== obj.metadata?.uid ||
        !live.metadata?.finalizers?.includes(finalizer)
      )
        return;
      await rest.update(r, {
        ...live,
        metadata: {
          ...live.metadata,
          finalizers: live.metadata.finalizers.filter(f => f !== finalizer),
        },
      });
    });
  }

  async function syncClaim(key: string): Promise<void> {
    const pvc = pvcs.get(key);
    if (
      !pvc?.metadata?.deletionTimestamp ||
      !pvc.metadata.finalizers?.includes(PVC_PROTECTION)
    )
      return;
    if (
      pods
        .list(pvc.metadata.namespace)
        .some(p => podUses(p, pvc.metadata?.name as string))
    )
      return;
    // The cache may not know a pod created a moment ago: confirm with a live list, as upstream does.
    const live = await rest.list<Pod>(R.pods, pvc.metadata.namespace);
    if (live.items.some(p => podUses(p, pvc.metadata?.name as string))) return;
    await dropFinalizer(R.persistentvolumeclaims, pvc, PVC_PROTECTION);
  }

  async function syncVolume(name: string): Promise<void> {
    const pv = pvs.getByName(undefined, name);
    if (
      !pv?.metadata?.deletionTimestamp ||
      !pv.metadata.finalizers?.includes(PV_PROTECTION)
    )
      return;
    if (pv.status?.phase === 'Bound') return;
    await dropFinalizer(R.persistentvolumes, pv, PV_PROTECTION);
  }

  const claimQueue = ctx.queue('pvc-protection', syncClaim);
  const volumeQueue = ctx.queue('pv-protection', syncVolume);
  pvcs.addHandlers({
    add: c => claimQueue.add(keyOf(c)),
    update: (_, c) => claimQueue.add(keyOf(c)),
  });
  pvs.addHandlers({
    add: v => volumeQueue.add(keyOf(v)),
    update: (_, v) => volumeQueue.add(keyOf(v)),
  });
  const claimsOf = (p: Pod) =>
    (p.spec?.volumes ?? []).forEach(
      v =>
        v.persistentVolumeClaim &&
        claimQueue.add(
          `${p.metadata?.namespace}/${v.persistentVolumeClaim.claimName}`,
        ),
    );
  pods.addHandlers({ update: (_, p) => claimsOf(p), delete: claimsOf });
  return { stop: async () => undefined };
}
