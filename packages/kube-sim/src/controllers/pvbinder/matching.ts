import { tryParseQuantity } from '../../lib/quantity';
import { matchesSelector } from '../../lib/selectors';
import type { PersistentVolume, PersistentVolumeClaim } from '../kube/types';

/** The annotations the real PV controller reads and writes. */
export const ANN = {
  bindCompleted: 'pv.kubernetes.io/bind-completed',
  boundByController: 'pv.kubernetes.io/bound-by-controller',
  provisionedBy: 'pv.kubernetes.io/provisioned-by',
  storageProvisioner: 'volume.kubernetes.io/storage-provisioner',
  betaStorageProvisioner: 'volume.beta.kubernetes.io/storage-provisioner',
  selectedNode: 'volume.kubernetes.io/selected-node',
  betaStorageClass: 'volume.beta.kubernetes.io/storage-class',
} as const;

/** The class a claim asks for: the deprecated beta annotation wins over spec.storageClassName, as upstream. */
export function claimClass(pvc: PersistentVolumeClaim): string {
  return (
    pvc.metadata?.annotations?.[ANN.betaStorageClass] ??
    pvc.spec?.storageClassName ??
    ''
  );
}

export function volumeClass(pv: PersistentVolume): string {
  return (
    pv.metadata?.annotations?.[ANN.betaStorageClass] ??
    pv.spec?.storageClassName ??
    ''
  );
}

/** The PV's claimRef names this claim, and either carries its uid or none yet (pre-bound by a user). */
export function isVolumeBoundToClaim(
  pv: PersistentVolume,
  pvc: PersistentVolumeClaim,
): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (
    ref.name !== pvc.metadata?.name ||
    ref.namespace !== pvc.metadata?.namespace
  )
    return false;
  return !ref.uid || ref.uid === pvc.metadata?.uid;
}

export function volumeModeMismatch(
  pvc: PersistentVolumeClaim,
  pv: PersistentVolume,
): boolean {
  return (
    (pvc.spec?.volumeMode ?? 'Filesystem') !==
    (pv.spec?.volumeMode ?? 'Filesystem')
  );
}

/** Every access mode the claim asks for is offered by the volume. */
export function accessModesSatisfied(
  pvc: PersistentVolumeClaim,
  pv: PersistentVolume,
): boolean {
  const offered = new Set(pv.spec?.accessModes ?? []);
  return (pvc.spec?.accessModes ?? []).every(m => offered.has(m));
}

export function requestedBytes(pvc: PersistentVolumeClaim): number {
  return tryParseQuantity(pvc.spec?.resources?.requests?.storage) ?? 0;
}

export function capacityBytes(pv: PersistentVolume): number {
  return tryParseQuantity(pv.spec?.capacity?.storage) ?? 0;
}

/**
 * Why a volume named by the claim's spec.volumeName cannot serve it (checkVolumeSatisfyClaim upstream),
 * or undefined when it can.
 */
export function volumeUnsuitableReason(
  pv: PersistentVolume,
  pvc: PersistentVolumeClaim,
): string | undefined {
  if (capacityBytes(pv) < requestedBytes(pvc))
    return 'requested PV is too small';
  if (volumeClass(pv) !== claimClass(pvc))
    return 'storageClassName does not match';
  if (volumeModeMismatch(pvc, pv)) return 'incompatible volumeMode';
  if (!accessModesSatisfied(pvc, pv)) return 'incompatible accessMode';
  return undefined;
}

export interface MatchOptions {
  /** the claim's class binds WaitForFirstConsumer */
  delayBinding: boolean;
  /** the node chosen by the scheduler, when matching on its behalf */
  node?: string;
}

/**
 * findBestMatchForClaim of the real binder: a volume pre-bound to this claim wins; otherwise the smallest
 * Available volume that is large enough, of the claim's class and volume mode, offers its access modes and
 * matches its label selector. Under WaitForFirstConsumer only pre-bound volumes match until a node is known.
 */
export function findBestMatch(
  pvc: PersistentVolumeClaim,
  volumes: PersistentVolume[],
  opts: MatchOptions,
): PersistentVolume | undefined {
  const requested = requestedBytes(pvc);
  const wantClass = claimClass(pvc);
  let best: PersistentVolume | undefined;
  // Volumes offering fewer access modes are preferred upstream (its index walks mode sets by size).
  const ordered = [...volumes].sort(
    (a, b) =>
      (a.spec?.accessModes?.length ?? 0) - (b.spec?.accessModes?.length ?? 0),
  );
  let bestModes = Infinity;
  for (const pv of ordered) {
    if (!accessModesSatisfied(pvc, pv)) continue;
    if (capacityBytes(pv) < requested) continue;
    if (volumeModeMismatch(pvc, pv)) continue;
    if (pv.metadata?.deletionTimestamp) continue;
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, pvc)) continue;
    if (isVolumeBoundToClaim(pv, pvc)) return pv;
    if (opts.delayBinding && !opts.node) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (
      pvc.spec?.selector &&
      !matchesSelector(pvc.spec.selector, pv.metadata?.labels)
    )
      continue;
    if (volumeClass(pv) !== wantClass) continue;
    const modes = pv.spec?.accessModes?.length ?? 0;
    if (best && modes > bestModes) continue;
    if (!best || modes < bestModes || capacityBytes(pv) < capacityBytes(best)) {
      best = pv;
      bestModes = modes;
    }
  }
  return best;
}
