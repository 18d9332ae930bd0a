/**
 * Rebind against a PV controller whose periodic sync is far away (60 s): the destination claim is bound
 * without waiting for it, also when the controller let the claim wait or dropped its sync of the claim on
 * a conflict, as the real one does. "Without waiting" is observed, not timed: the binder's count of
 * periodic syncs is still 0 when the claim is Bound.
 */
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { writeFileSync } from 'node:fs';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters, type SimCluster, type SimWorld } from 'kube-sim';
import { createBoundPvc, ensureNamespace } from '../testing/kubesim';
import { pollUntil } from '../kube';
import { BIND_REQUESTED } from './annotations';
import { waitBound } from './binding';
import { ensureClass, readThroughPod } from './testing';
import { RebindVolume } from './volume';
import { HELD_BY, runRebind } from '.';

jest.setTimeout(120_000);

const spec = (
  id: string,
  from: string,
  to: string,
  name: string,
): TransferSpec => ({
  id,
  source: { cluster: 'east', namespace: from, name },
  destination: { cluster: 'east', namespace: to, name },
  mode: 'rebind',
  intent: 'move',
});

describe('rebind with a PV controller that syncs every 60 s', () => {
  let world: SimWorld;
  let east: SimCluster;
  let kc: KubeConfig;
  let core: CoreV1Api;

  beforeAll(async () => {
    world = await startClusters([
      { name: 'east', pvBinder: { syncPeriodMs: 60_000 } },
    ]);
    east = world.cluster('east');
    kc = east.kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    await ensureClass(kc, 'movable', 'true');
    for (const ns of ['a', 'b']) await ensureNamespace(kc, ns);
  });

  afterAll(async () => {
    await world?.stop();
  });

  const claim = (namespace: string, name: string) =>
    core.readNamespacedPersistentVolumeClaim({ namespace, name });

  it('binds the destination claim before any periodic sync, data intact', async () => {
    const dir = await createBoundPvc(kc, 'a', 'one', 'movable');
    writeFileSync(`${dir}/f.txt`, 'one\n');
    const result = await runRebind({
      spec: spec('rb-fast', 'a', 'b', 'one'),
      kubeConfig: kc,
    });
    const moved = await claim('b', 'one');
    expect(moved.status?.phase).toBe('Bound');
    expect(east.pvBinder.resyncs).toBe(0);
    expect(moved.metadata?.annotations?.[BIND_REQUESTED]).toBeUndefined();
    const pv = await core.readPersistentVolume({ name: result.volumeName });
    expect(pv.spec?.claimRef?.uid).toBe(moved.metadata?.uid);
    expect(pv.status?.phase).toBe('Bound');
    expect(pv.metadata?.annotations?.[HELD_BY]).toBeUndefined();
    expect(await readThroughPod(kc, 'b', 'one', 'f.txt')).toBe('one\n');
  });

  it("binds the destination claim when the controller's sync of it failed on a conflict", async () => {
    await createBoundPvc(kc, 'a', 'two', 'movable');
    // the controller's write of the new claim is refused once: upstream drops that sync until the next
    // periodic one, leaving the volume Bound and the claim Pending
    const conflict = east.apiServer.faults.add({
      verb: 'update',
      resource: 'persistentvolumeclaims',
      namespace: 'b',
      name: 'two',
      user: 'system:kube-controller-manager',
      status: 409,
      count: 1,
    });
    try {
      await runRebind({
        spec: spec('rb-conflict', 'a', 'b', 'two'),
        kubeConfig: kc,
      });
    } finally {
      conflict.remove();
    }
    expect(conflict.hits).toBe(1);
    const moved = await claim('b', 'two');
    expect(moved.status?.phase).toBe('Bound');
    expect(moved.metadata?.annotations?.[BIND_REQUESTED]).toBeUndefined();
    expect(east.pvBinder.resyncs).toBe(0);
  });

  it('binds a claim the controller turned down before the volume was pointed at it', async () => {
    await createBoundPvc(kc, 'a', 'three', 'movable');
    const source = await claim('a', 'three');
    const volume = new RebindVolume(kc, 'rb-early', source.spec!.volumeName!);
    await volume.hold();
    await volume.setReclaimPolicy('Retain');
    await core.deleteNamespacedPersistentVolumeClaim({
      namespace: 'a',
      name: 'three',
    });
    await pollUntil(
      async () =>
        (await core.readPersistentVolume({ name: volume.pvName })).status
          ?.phase === 'Released'
          ? true
          : undefined,
      { timeoutMs: 30_000, what: 'the volume to be Released' },
    );
    // the claim exists before the volume names it: the controller says the volume is someone else's
    await core.createNamespacedPersistentVolumeClaim({
      namespace: 'b',
      body: {
        metadata: { name: 'three' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'movable',
          resources: { requests: { storage: '1Gi' } },
          volumeName: volume.pvName,
        },
      },
    });
    await pollUntil(
      async () =>
        (await core.listNamespacedEvent({ namespace: 'b' })).items.some(
          e =>
            e.involvedObject?.name === 'three' && e.reason === 'FailedBinding',
        )
          ? true
          : undefined,
      { timeoutMs: 30_000, what: 'the controller to turn the claim down' },
    );
    await volume.pointAt('b', 'three');
    await volume.completeClaimRef('b', 'three');
    await waitBound(volume, 'b', 'three', { timeoutMs: 30_000 });
    const bound = await claim('b', 'three');
    expect(bound.status?.phase).toBe('Bound');
    expect(bound.metadata?.annotations?.[BIND_REQUESTED]).toBeUndefined();
    expect(east.pvBinder.resyncs).toBe(0);
    await volume.release();
  });
});
