import { httpStatus, retryOnConflict } from '../clusters';
import { pollUntil } from '../kube';
import { BIND_REQUESTED } from './annotations';
import type { RebindVolume } from './volume';

/** how long a Pending claim the volume names may stay unchanged before the controller is asked again */
const NUDGE_AFTER_MS = 500;

/**
 * Waits until the claim is Bound to the volume. The PV controller syncs a claim when it changes or at its
 * periodic sync (15 s by default): a claim it left Pending (its sync saw an older volume, or failed on a
 * conflict) while the volume names it would wait for that period, so a claim that stays unchanged for
 * NUDGE_AFTER_MS is changed (BIND_REQUESTED), which syncs it now.
 */
export async function waitBound(
  volume: RebindVolume,
  namespace: string,
  name: string,
  opts: { timeoutMs: number; signal?: AbortSignal },
): Promise<void> {
  const quiet = { version: '', since: Date.now() };
  let mayNudge = true;
  await pollUntil(
    async () => {
      const c = await volume.readClaim(namespace, name);
      if (!c || c.spec?.volumeName !== volume.pvName) return undefined;
      const ref = await volume.claimRef();
      if (c.status?.phase === 'Bound')
        return ref?.uid === c.metadata?.uid ? true : undefined;
      const named =
        ref?.namespace === namespace &&
        ref?.name === name &&
        (!ref.uid || ref.uid === c.metadata?.uid);
      if (c.metadata?.resourceVersion !== quiet.version) {
        quiet.version = c.metadata!.resourceVersion!;
        quiet.since = Date.now();
      } else if (
        named &&
        mayNudge &&
        Date.now() - quiet.since >= NUDGE_AFTER_MS
      ) {
        mayNudge = await requestBind(volume, namespace, name);
      }
      return undefined;
    },
    {
      timeoutMs: opts.timeoutMs,
      intervalMs: 250,
      signal: opts.signal,
      what: `PVC ${namespace}/${name} to bind to ${volume.pvName}`,
    },
  );
  await setBindRequested(volume, namespace, name, undefined);
}

/** false when the claim may not be changed: the controller's periodic sync will bind it */
async function requestBind(
  volume: RebindVolume,
  namespace: string,
  name: string,
): Promise<boolean> {
  try {
    await setBindRequested(volume, namespace, name, new Date().toISOString());
    return true;
  } catch (e) {
    if (httpStatus(e) === 403) return false;
    throw e;
  }
}

async function setBindRequested(
  volume: RebindVolume,
  namespace: string,
  name: string,
  value: string | undefined,
): Promise<void> {
  await retryOnConflict(async () => {
    const c = await volume.readClaim(namespace, name);
    const ann = c?.metadata?.annotations ?? {};
    if (!c || ann[BIND_REQUESTED] === value) return;
    if (value === undefined) delete ann[BIND_REQUESTED];
    else ann[BIND_REQUESTED] = value;
    c.metadata!.annotations = ann;
    await volume.core.replaceNamespacedPersistentVolumeClaim({
      namespace,
      name,
      body: c,
    });
  });
}
