/**
 * When the PV controller binds, as upstream: claim and volume events are synced at once, but a sync that
 * has nothing to do yet, or fails, is not repeated until that object changes again or the periodic sync
 * (--pvclaimbinder-sync-period) comes. The period here is long (60 s) and the tests run the periodic sync
 * themselves, so every binding below happens either without one or only after it, never by the clock.
 */
import { R } from '../kube/resources';
import type {
  CoreEvent,
  Namespace,
  PersistentVolume,
  PersistentVolumeClaim,
} from '../kube/types';
import {
  edit,
  startHarness,
  waitFor,
  type ControllerHarness,
} from '../testing/harness';
import { ANN } from './matching';

jest.setTimeout(60_000);

let h: ControllerHarness;
const NS = 'apps';

beforeAll(async () => {
  h = await startHarness('pvsync', { pvBinder: { syncPeriodMs: 60_000 } });
  await h.rest.create<Namespace>(R.namespaces, undefined, {
    metadata: { name: NS },
  });
});

afterAll(async () => h?.stop());

const getClaim = (name: string) =>
  h.rest.get<PersistentVolumeClaim>(R.persistentvolumeclaims, NS, name);
const getPv = (name: string) =>
  h.rest.get<PersistentVolume>(R.persistentvolumes, undefined, name);
const createClaim = (name: string, volumeName: string) =>
  h.rest.create<PersistentVolumeClaim>(R.persistentvolumeclaims, NS, {
    metadata: { name },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'manual',
      resources: { requests: { storage: '1Gi' } },
      volumeName,
    },
  });
const phaseOf = async (pv: string) => (await getPv(pv)).status?.phase;
const claimPhase = async (name: string) => (await getClaim(name)).status?.phase;

/**
 * A Retain volume whose claim was deleted (Released, claimRef with the old uid), and a claim created for
 * it meanwhile, which the controller turned down: the state a rebind's destination claim is in when the
 * controller saw it before the volume was pointed at it.
 */
async function releasedVolumeAndWaitingClaim(pv: string, claim: string) {
  await h.rest.create<PersistentVolume>(R.persistentvolumes, undefined, {
    metadata: { name: pv },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'manual',
      persistentVolumeReclaimPolicy: 'Retain',
      hostPath: { path: `/tmp/${pv}` },
    },
  });
  // a claim naming a volume the controller has not taken in yet would wait for the periodic sync
  await waitFor(
    `${pv} Available`,
    async () => (await phaseOf(pv)) === 'Available',
  );
  await createClaim(`${claim}-old`, pv);
  await waitFor(
    `${claim}-old Bound`,
    async () => (await claimPhase(`${claim}-old`)) === 'Bound',
  );
  await h.rest.delete(R.persistentvolumeclaims, NS, `${claim}-old`);
  await waitFor(
    `${pv} Released`,
    async () => (await phaseOf(pv)) === 'Released',
  );
  await createClaim(claim, pv);
  await waitFor(`${claim} turned down`, async () =>
    (await h.rest.list<CoreEvent>(R.events, NS)).items.some(
      e =>
        e.involvedObject?.name === claim &&
        e.reason === 'FailedBinding' &&
        e.message === `volume "${pv}" already bound to a different claim.`,
    ),
  );
  // the user's (or the engine's) hand-over: the volume is pre-bound to the claim by name only
  await edit<PersistentVolume>(h, R.persistentvolumes, '', pv, o => ({
    ...o,
    spec: {
      ...o.spec,
      claimRef: {
        kind: 'PersistentVolumeClaim',
        apiVersion: 'v1',
        namespace: NS,
        name: claim,
      },
    },
  }));
  // the volume's sync saw the pre-binding (it makes the volume Available, and does not sync the claim)
  await waitFor(
    `${pv} Available`,
    async () => (await phaseOf(pv)) === 'Available',
  );
}

it('binds a claim turned down before its volume was pre-bound to it only at the next periodic sync', async () => {
  await releasedVolumeAndWaitingClaim('pv-wait', 'waits');
  const resyncs = h.pvBinder.resyncs;
  const waiting = await getClaim('waits');
  expect(waiting.status?.phase).toBe('Pending');
  expect(waiting.metadata?.annotations?.[ANN.bindCompleted]).toBeUndefined();
  expect((await getPv('pv-wait')).spec?.claimRef?.uid).toBeUndefined();

  h.pvBinder.resync();
  await waitFor(
    'waits Bound',
    async () => (await claimPhase('waits')) === 'Bound',
  );
  expect(h.pvBinder.resyncs).toBe(resyncs + 1);
  const pv = await getPv('pv-wait');
  expect(pv.status?.phase).toBe('Bound');
  expect(pv.spec?.claimRef?.uid).toBe(waiting.metadata?.uid);
});

it("binds at once when the claimRef gets the claim's uid (the volume side) and the claim then changes (the claim side)", async () => {
  await releasedVolumeAndWaitingClaim('pv-help', 'helped');
  const resyncs = h.pvBinder.resyncs;
  const claim = await getClaim('helped');
  // what bind() writes first: the claim's uid and resourceVersion in the claimRef
  await edit<PersistentVolume>(h, R.persistentvolumes, '', 'pv-help', o => ({
    ...o,
    spec: {
      ...o.spec,
      claimRef: {
        ...o.spec?.claimRef,
        uid: claim.metadata?.uid,
        resourceVersion: claim.metadata?.resourceVersion,
      },
    },
  }));
  // the volume's sync finds its claim naming it: the volume is Bound, but the claim is not synced
  await waitFor(
    'pv-help Bound',
    async () => (await phaseOf('pv-help')) === 'Bound',
  );
  expect(await claimPhase('helped')).toBe('Pending');

  // any change to the claim syncs it, and the claim's sync completes the binding
  await edit<PersistentVolumeClaim>(
    h,
    R.persistentvolumeclaims,
    NS,
    'helped',
    o => ({
      ...o,
      metadata: {
        ...o.metadata,
        labels: { ...o.metadata?.labels, touched: 'yes' },
      },
    }),
  );
  const bound = await waitFor('helped Bound', async () => {
    const c = await getClaim('helped');
    return c.status?.phase === 'Bound' ? c : undefined;
  });
  expect(h.pvBinder.resyncs).toBe(resyncs);
  expect(bound.metadata?.annotations?.[ANN.bindCompleted]).toBe('yes');
  expect(bound.metadata?.annotations?.[ANN.boundByController]).toBeUndefined();
  expect(bound.status?.capacity).toEqual({ storage: '1Gi' });
});

it('leaves a binding whose claim write failed half done until the next periodic sync', async () => {
  await h.rest.create<PersistentVolume>(R.persistentvolumes, undefined, {
    metadata: { name: 'pv-half' },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'manual',
      persistentVolumeReclaimPolicy: 'Retain',
      hostPath: { path: '/tmp/pv-half' },
    },
  });
  await waitFor(
    'pv-half Available',
    async () => (await phaseOf('pv-half')) === 'Available',
  );
  // the controller's update of the claim is refused once, as a concurrent writer would make it
  const conflict = h.api.faults.add({
    verb: 'update',
    resource: 'persistentvolumeclaims',
    namespace: NS,
    name: 'half',
    user: 'system:kube-controller-manager',
    status: 409,
    count: 1,
  });
  const resyncs = h.pvBinder.resyncs;
  const claim = await createClaim('half', 'pv-half');
  // bind() wrote the volume and its phase, then failed on the claim: nothing retries it
  await waitFor('fault hit', async () => conflict.hits === 1);
  const pv = await getPv('pv-half');
  expect(pv.status?.phase).toBe('Bound');
  expect(pv.spec?.claimRef?.uid).toBe(claim.metadata?.uid);
  expect(await claimPhase('half')).toBe('Pending');
  expect(
    (await getClaim('half')).metadata?.annotations?.[ANN.bindCompleted],
  ).toBeUndefined();
  conflict.remove();

  h.pvBinder.resync();
  await waitFor(
    'half Bound',
    async () => (await claimPhase('half')) === 'Bound',
  );
  expect(h.pvBinder.resyncs).toBe(resyncs + 1);
});
