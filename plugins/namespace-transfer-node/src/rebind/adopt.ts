import type {
  V1PersistentVolume,
  V1PersistentVolumeClaim,
} from '@kubernetes/client-node';
import type { RefusalCode } from '@namespace-transfer/plugin-namespace-transfer-common';
import { parseQuantity } from '../plan/quantity';

/**
 * One reason a user's claim cannot take the volume.
 *
 * @public
 */
export interface Misfit {
  code: RefusalCode;
  message: string;
}

/**
 * Why the user's destination claim cannot be bound to the volume. These are the binder's own conditions
 * for a claim that names a volume (checkVolumeSatisfyClaim: class, size, modes), checked before the source
 * is touched: found after the source claim is gone, the run would have to give the volume back. A class
 * left unset is compared as "" (no class), which is what the binder does with it.
 *
 * @public
 */
export function destinationClaimMisfits(
  name: string,
  claim: V1PersistentVolumeClaim | undefined,
  pv: V1PersistentVolume | undefined,
): Misfit[] {
  if (!claim)
    return [
      {
        code: 'InvalidSpec',
        message: `claim ${name} does not exist: the claim to bind the volume to must be made first`,
      },
    ];
  const out: Misfit[] = [];
  const named = claim.spec?.volumeName;
  // naming this very volume: a claim an earlier attempt adopted before giving the volume back (its
  // volumeName cannot be cleared). Whatever its phase says (Bound until the binder sees the volume went
  // back to the source, then Lost), the volume points at the source claim (ClaimRefPointsBack), and
  // pointing it at this claim again binds it
  const again = !!named && named === pv?.metadata?.name;
  const phase = claim.status?.phase ?? 'Pending';
  if (named && !again)
    out.push({
      code: 'DestinationExists',
      message: `claim ${name} names volume ${named} (${phase}): only a claim without a volume can take this one`,
    });
  else if (phase !== 'Pending' && !again)
    out.push({
      code: 'DestinationExists',
      message: `claim ${name} is ${phase}, not Pending without a volume`,
    });
  if (claim.spec?.selector)
    out.push({
      code: 'RebindImpossible',
      message: `claim ${name} has a selector: a claim given a volume by name must not select volumes`,
    });
  if (claim.metadata?.deletionTimestamp)
    out.push({
      code: 'InvalidSpec',
      message: `claim ${name} is being deleted`,
    });
  if (pv) out.push(...volumeMisfits(name, claim, pv));
  return out;
}

function volumeMisfits(
  name: string,
  claim: V1PersistentVolumeClaim,
  pv: V1PersistentVolume,
): Misfit[] {
  const out: Misfit[] = [];
  const fail = (code: RefusalCode, message: string) =>
    out.push({ code, message: `claim ${name} ${message}` });
  const wantClass = claim.spec?.storageClassName ?? '';
  const haveClass = pv.spec?.storageClassName ?? '';
  if (wantClass !== haveClass)
    fail(
      'RebindImpossible',
      `asks for storage class "${wantClass}", the volume is of "${haveClass}"`,
    );
  const asked = claim.spec?.resources?.requests?.storage;
  const holds = pv.spec?.capacity?.storage;
  const askedBytes = parseQuantity(asked);
  const holdsBytes = parseQuantity(holds);
  if (askedBytes === undefined) fail('InvalidSpec', 'requests no storage size');
  else if (holdsBytes === undefined || askedBytes > holdsBytes)
    fail(
      'DestinationTooSmall',
      `asks for ${asked}, the volume holds ${holds ?? 'an unknown size'}`,
    );
  const modes = pv.spec?.accessModes ?? [];
  const extra = (claim.spec?.accessModes ?? []).filter(m => !modes.includes(m));
  if (extra.length)
    fail(
      'RebindImpossible',
      `asks for access modes ${extra.join(', ')} the volume does not offer (${modes.join(', ') || 'none'})`,
    );
  const wantMode = claim.spec?.volumeMode ?? 'Filesystem';
  const haveMode = pv.spec?.volumeMode ?? 'Filesystem';
  if (wantMode !== haveMode)
    fail(
      'RebindImpossible',
      `asks for volume mode ${wantMode}, the volume is ${haveMode}`,
    );
  return out;
}
