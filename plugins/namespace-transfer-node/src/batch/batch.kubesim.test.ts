/**
 * Several PVCs of a namespace at once on kube-sim: no name or port clashes, one refusal does not stop
 * the others, nothing left behind.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { startClusters, type SimWorld } from 'kube-sim';
import { planAndCopy } from '../copy';
import { buildTree, chownTree, diffTrees, scanTree } from '../testing/trees';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  ensureStorageClass,
  volumeDir,
} from '../testing/kubesim';
import { batchSpecs, runBatch } from '.';

jest.setTimeout(300_000);

describe('batch on kube-sim', () => {
  let world: SimWorld;
  afterAll(async () => {
    await world?.stop();
  });

  it('copies all PVCs of a namespace two at a time; a refused one fails alone', async () => {
    world = await startClusters([{ name: 'east' }]);
    const kc = world.cluster('east').kubeConfig();
    await ensureStorageClass(kc, 'fast');
    await ensureNamespace(kc, 'multi');
    await ensureNamespace(kc, 'multi2');
    const dirs: Record<string, string> = {};
    for (const name of ['a', 'b', 'c']) {
      dirs[name] = await createBoundPvc(kc, 'multi', name, 'fast');
      buildTree(dirs[name], {
        smallFiles: 50 + name.charCodeAt(0),
        sparseBytes: 4 * 1024 * 1024,
      });
      chownTree(dirs[name], 1001, 1001);
      // the application that owns the files (stopped): the client reads as its user
      await createWorkload(kc, 'multi', `app-${name}`, name, 1001, 0);
    }
    await createBoundPvc(kc, 'multi2', 'c', 'fast'); // the destination of c is taken
    const pvcs = (
      await kc
        .makeApiClient(CoreV1Api)
        .listNamespacedPersistentVolumeClaim({ namespace: 'multi' })
    ).items.map(p => ({
      namespace: p.metadata!.namespace!,
      name: p.metadata!.name!,
    }));
    const specs = batchSpecs(
      {
        id: 'batch-1',
        sourceCluster: 'east',
        destinationCluster: 'east',
        namespaces: { multi: 'multi2' },
        mode: 'copy',
        intent: 'clone',
      },
      pvcs,
    );
    const outcomes = await runBatch(
      specs.map(spec => ({
        key: spec.source.name,
        run: () => planAndCopy({ spec, source: kc, destination: kc }),
      })),
      { concurrency: 2 },
    );
    expect(
      outcomes.map(o => [o.key, o.ok, o.ok ? '' : o.error!.slice(0, 600)]),
    ).toEqual([
      ['a', true, ''],
      ['b', true, ''],
      ['c', false, expect.stringContaining('DestinationExists')],
    ]);
    expect(outcomes[2].error).toMatch(
      /DestinationExists: destination PVC east\/multi2\/c already exists/,
    );
    for (const name of ['a', 'b']) {
      const a = scanTree(dirs[name]);
      const b = scanTree(await volumeDir(kc, 'multi2', name));
      for (const m of [a, b])
        for (const k of [...m.keys()])
          if (k.startsWith('lost+found')) m.delete(k);
      expect(diffTrees(a, b)).toEqual([]);
    }
    const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({
      namespace: 'multi2',
      labelSelector: 'app.kubernetes.io/managed-by=namespace-transfer',
    });
    expect(pods.items).toEqual([]);
  });
});
