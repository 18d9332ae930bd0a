/**
 * Rebind on kube-sim: the volume itself changes namespace (no bytes move), with the application quiesced,
 * its data readable by a pod in the destination, and the reclaim policy back to what it was.
 */
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { writeFileSync } from 'node:fs';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters, type SimWorld } from 'kube-sim';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
} from '../testing/kubesim';
import { pollUntil } from '../kube';
import { ensureClass, readThroughPod } from './testing';
import {
  HELD_BY,
  RECORDED_RECLAIM_POLICY,
  RebindRefusedError,
  runRebind,
  type RebindEvent,
} from '.';

jest.setTimeout(300_000);

const spec = (
  id: string,
  from: [string, string],
  to: [string, string],
  extra: Partial<TransferSpec> = {},
): TransferSpec => ({
  id,
  source: { cluster: 'east', namespace: from[0], name: from[1] },
  destination: { cluster: 'east', namespace: to[0], name: to[1] },
  mode: 'rebind',
  intent: 'move',
  ...extra,
});

describe('rebind on kube-sim', () => {
  let world: SimWorld;
  let kc: KubeConfig;
  let core: CoreV1Api;

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    kc = world.cluster('east').kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    await ensureClass(kc, 'movable', 'true');
    await ensureClass(kc, 'pinned', 'false');
    await ensureClass(kc, 'plain');
    for (const ns of ['shop', 'shop2', 'other']) await ensureNamespace(kc, ns);
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('moves the volume of a PVC a Deployment uses: quiesced, data intact in the destination, policy restored', async () => {
    const dir = await createBoundPvc(kc, 'shop', 'data', 'movable');
    writeFileSync(`${dir}/hello.txt`, 'kept across namespaces\n');
    await createWorkload(kc, 'shop', 'web', 'data', 1001, 1);
    await pollUntil(
      async () =>
        (await core.listNamespacedPod({ namespace: 'shop' })).items.some(
          p => p.status?.phase === 'Running',
        )
          ? true
          : undefined,
      { timeoutMs: 60_000, what: 'the web pod to run' },
    );
    const before = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'shop',
      name: 'data',
    });
    const pvName = before.spec!.volumeName!;
    const events: RebindEvent[] = [];
    const result = await runRebind({
      spec: spec('rb-1', ['shop', 'data'], ['shop2', 'data']),
      kubeConfig: kc,
      onEvent: e => events.push(e),
    });

    expect(result.volumeName).toBe(pvName);
    expect(
      events
        .filter(e => e.type === 'phase')
        .map(e => (e as { phase: string }).phase),
    ).toEqual([
      'Planning',
      'Rebinding',
      'Quiescing',
      'Rebinding',
      'Finalizing',
      'Succeeded',
    ]);
    await expect(
      core.readNamespacedPersistentVolumeClaim({
        namespace: 'shop',
        name: 'data',
      }),
    ).rejects.toMatchObject({ code: 404 });
    const moved = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'shop2',
      name: 'data',
    });
    expect(moved.status?.phase).toBe('Bound');
    expect(moved.spec).toMatchObject({
      volumeName: pvName,
      storageClassName: 'movable',
      accessModes: ['ReadWriteOnce'],
    });
    const pv = await core.readPersistentVolume({ name: pvName });
    expect(pv.spec?.claimRef).toMatchObject({
      namespace: 'shop2',
      name: 'data',
      uid: moved.metadata!.uid,
    });
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(pv.metadata?.annotations?.[HELD_BY]).toBeUndefined();
    expect(pv.metadata?.annotations?.[RECORDED_RECLAIM_POLICY]).toBeUndefined();
    // a move keeps the application stopped, with what it ran before recorded on it
    const web = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    expect(web.spec!.replicas).toBe(0);
    expect(
      web.metadata!.annotations?.['namespace-transfer.io/quiesced-replicas'],
    ).toBe('1');
    expect(await readThroughPod(kc, 'shop2', 'data', 'hello.txt')).toBe(
      'kept across namespaces\n',
    );
  });

  it('refuses opt-outs and storage classes that forbid it, naming every precondition, changing nothing', async () => {
    await createBoundPvc(kc, 'other', 'pinned', 'pinned');
    await createBoundPvc(kc, 'other', 'plain', 'plain');
    await createBoundPvc(kc, 'other', 'optout', 'movable');
    const pvc = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'other',
      name: 'optout',
    });
    pvc.metadata!.annotations = {
      ...pvc.metadata!.annotations,
      'namespace-transfer.io/transferable': 'false',
    };
    await core.replaceNamespacedPersistentVolumeClaim({
      namespace: 'other',
      name: 'optout',
      body: pvc,
    });

    const refused = async (
      name: string,
      extra: Partial<TransferSpec> = {},
      allowTransferDefault?: boolean,
    ) => {
      const e = await runRebind({
        spec: spec(`rb-${name}`, ['other', name], ['missing-ns', name], extra),
        kubeConfig: kc,
        allowTransferDefault,
      }).catch(err => err);
      expect(e).toBeInstanceOf(RebindRefusedError);
      return (e as RebindRefusedError).failures.map(f => f.precondition).sort();
    };
    expect(await refused('pinned')).toEqual([
      'DestinationNamespaceExists',
      'StorageClassAllows',
    ]);
    expect(await refused('plain')).toEqual([
      'DestinationNamespaceExists',
      'StorageClassAllows',
    ]);
    expect(await refused('plain', {}, true)).toEqual([
      'DestinationNamespaceExists',
    ]);
    expect(await refused('optout', { intent: 'clone' })).toEqual([
      'DestinationNamespaceExists',
      'IntentIsMove',
      'NotOptedOut',
    ]);
    // nothing was touched
    const untouched = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'other',
      name: 'pinned',
    });
    const pv = await core.readPersistentVolume({
      name: untouched.spec!.volumeName!,
    });
    expect(pv.metadata?.annotations?.[HELD_BY]).toBeUndefined();
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
  });
});
