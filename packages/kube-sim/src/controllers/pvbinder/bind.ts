import { retryOnConflict } from '../../client/conflict';
import { R } from '../kube/resources';
import type { RestClient } from '../kube/rest';
import type { PersistentVolume, PersistentVolumeClaim } from '../kube/types';
import { ANN, isVolumeBoundToClaim } from './matching';

/** The PV controller's writes: phases through the status subresource, and the two halves of a binding. */

export async function setClaimPhase(
  rest: RestClient,
  pvc: PersistentVolumeClaim,
  phase: string,
  pv?: PersistentVolume,
): Promise<PersistentVolumeClaim> {
  const status = pvc.status ?? {};
  const capacity = pv ? pv.spec?.capacity : undefined;
  const accessModes = pv ? pv.spec?.accessModes : undefined;
  if (
    status.phase === phase &&
    JSON.stringify(status.capacity) === JSON.stringify(capacity) &&
    JSON.stringify(status.accessModes) === JSON.stringify(accessModes)
  )
    return pvc;
  const next: PersistentVolumeClaim = {
    ...pvc,
    status: { ...status, phase, capacity, accessModes },
  };
  if (!pv) {
    // A Pending or Lost claim reports no capacity/access modes, as upstream resets them.
    delete next.status!.capacity;
    delete next.status!.accessModes;
  }
  return rest.updateStatus(R.persistentvolumeclaims, next);
}

export async function setVolumePhase(
  rest: RestClient,
  pv: PersistentVolume,
  phase: string,
  message?: string,
): Promise<PersistentVolume> {
  if (
    pv.status?.phase === phase &&
    (message === undefined || pv.status?.message === message)
  )
    return pv;
  const next: PersistentVolume = {
    ...pv,
    status: { ...pv.status, phase, message },
  };
  if (message === undefined) delete next.status!.message;
  return rest.updateStatus(R.persistentvolumes, next);
}

/** bind() upstream: volume side first, so a crash in between leaves a pre-bound volume, never a lost claim. */
export async function bindClaim(
  rest: RestClient,
  pvName: string,
  claim: PersistentVolumeClaim,
): Promise<void> {
  await retryOnConflict(async () => {
    const cur = await rest.get<PersistentVolume>(
      R.persistentvolumes,
      undefined,
      pvName,
    );
    const ref = cur.spec?.claimRef;
    // Already ours: a repeated bind must not rewrite the volume on every claim change.
    if (ref?.uid && ref.uid === claim.metadata?.uid) return cur;
    if (ref && !isVolumeBoundToClaim(cur, claim))
      throw new Error(`volume ${pvName} was taken by another claim`);
    const annotations = { ...cur.metadata?.annotations };
    if (!isVolumeBoundToClaim(cur, claim))
      annotations[ANN.boundByController] = 'yes';
    return rest.update(R.persistentvolumes, {
      ...cur,
      metadata: { ...cur.metadata, annotations },
      spec: {
        ...cur.spec,
        claimRef: {
          kind: 'PersistentVolumeClaim',
          apiVersion: 'v1',
          namespace: claim.metadata?.namespace,
          name: claim.metadata?.name,
          uid: claim.metadata?.uid,
          resourceVersion: claim.metadata?.resourceVersion,
        },
      },
    });
  });
  const boundPv = await retryOnConflict(async () =>
    setVolumePhase(
      rest,
      await rest.get<PersistentVolume>(R.persistentvolumes, undefined, pvName),
      'Bound',
    ),
  );
  const ns = claim.metadata?.namespace;
  const name = claim.metadata?.name as string;
  await retryOnConflict(async () => {
    const cur = await rest.get<PersistentVolumeClaim>(
      R.persistentvolumeclaims,
      ns,
      name,
    );
    if (cur.metadata?.uid !== claim.metadata?.uid)
      throw new Error('claim was replaced while binding');
    const annotations = { ...cur.metadata?.annotations };
    if (
      cur.spec?.volumeName === pvName &&
      annotations[ANN.bindCompleted] === 'yes'
    )
      return cur;
    if (cur.spec?.volumeName !== pvName)
      annotations[ANN.boundByController] = 'yes';
    annotations[ANN.bindCompleted] = 'yes';
    return rest.update(R.persistentvolumeclaims, {
      ...cur,
      metadata: { ...cur.metadata, annotations },
      spec: { ...cur.spec, volumeName: pvName },
    });
  });
  await retryOnConflict(async () =>
    setClaimPhase(
      rest,
      await rest.get<PersistentVolumeClaim>(R.persistentvolumeclaims, ns, name),
      'Bound',
      boundPv,
    ),
  );
}
