/**
 * No transfer mark outlives the transfer, although the Deployment controller copies a Deployment's
 * annotations onto its newest ReplicaSet and never removes them (as the real one does): after a clone
 * (quiesce, copy, restore) and after a copy cancelled mid-sync (rollback), no `namespace-transfer.io/`
 * annotation is left on the Deployment, its ReplicaSets, the StatefulSet or the
 * pods, and the copied data matches the source.
 */
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters, type SimWorld } from 'kube-sim';
import { planAndCopy } from '../copy';
import { retryOnConflict } from '../clusters';
import { pollUntil } from '../kube';
import { buildTree, chownTree, diffTrees, scanTree } from '../testing/trees';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  ensureStorageClass,
  volumeDir,
} from '../testing/kubesim';
import { QUIESCED_BY } from './annotations';

jest.setTimeout(300_000);

const UID = 1001;
const OURS = 'namespace-transfer.io/';

describe('transfer marks on workloads whose controllers copy annotations', () => {
  let world: SimWorld;
  let kc: KubeConfig;
  let apps: AppsV1Api;
  let core: CoreV1Api;
  let srcDir: string;

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    kc = world.cluster('east').kubeConfig();
    apps = kc.makeApiClient(AppsV1Api);
    core = kc.makeApiClient(CoreV1Api);
    await ensureStorageClass(kc, 'fast');
    for (const ns of ['app', 'c1', 'c2']) await ensureNamespace(kc, ns);
    srcDir = await createBoundPvc(kc, 'app', 'vol', 'fast');
    buildTree(srcDir, { smallFiles: 20, sparseBytes: 1024 * 1024 });
    chownTree(srcDir, UID, UID);
    await createWorkload(kc, 'app', 'web', 'vol', UID, 1);
    // a Deployment annotation of the user's, which its ReplicaSet gets a copy of
    await retryOnConflict(async () => {
      const web = await apps.readNamespacedDeployment({
        namespace: 'app',
        name: 'web',
      });
      web.metadata!.annotations = {
        ...web.metadata!.annotations,
        'team.example/owner': 'shop',
      };
      return apps.replaceNamespacedDeployment({
        namespace: 'app',
        name: 'web',
        body: web,
      });
    });
    await apps.createNamespacedStatefulSet({
      namespace: 'app',
      body: {
        metadata: { name: 'db' },
        spec: {
          replicas: 1,
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: {
            metadata: { labels: { app: 'db' } },
            spec: {
              securityContext: { runAsUser: UID, runAsGroup: UID },
              containers: [
                {
                  name: 'db',
                  image: 'busybox',
                  command: ['sleep', '3600'],
                  volumeMounts: [{ name: 'data', mountPath: '/data' }],
                },
              ],
              volumes: [
                { name: 'data', persistentVolumeClaim: { claimName: 'vol' } },
              ],
            },
          },
        },
      },
    });
    await runningPods(2);
  });

  afterAll(async () => {
    await world?.stop();
  });

  async function runningPods(n: number) {
    await pollUntil(
      async () =>
        (await core.listNamespacedPod({ namespace: 'app' })).items.filter(
          p => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp,
        ).length === n
          ? true
          : undefined,
      { timeoutMs: 90_000, what: `${n} running pods in app` },
    );
  }

  /** every `namespace-transfer.io/` annotation on the workloads of app, their sets and their pods */
  async function marks(): Promise<string[]> {
    const ns = { namespace: 'app' };
    const objects = [
      ...(await apps.listNamespacedDeployment(ns)).items,
      ...(await apps.listNamespacedReplicaSet(ns)).items,
      ...(await apps.listNamespacedStatefulSet(ns)).items,
      ...(await core.listNamespacedPod(ns)).items,
    ];
    return objects.flatMap(o =>
      Object.keys(o.metadata?.annotations ?? {})
        .filter(k => k.startsWith(OURS))
        .map(k => `${o.kind ?? ''}${o.metadata?.name}: ${k}`),
    );
  }

  const replicaSets = async () =>
    (await apps.listNamespacedReplicaSet({ namespace: 'app' })).items;

  const spec = (id: string, ns: string): TransferSpec => ({
    id,
    source: { cluster: 'east', namespace: 'app', name: 'vol' },
    destination: { cluster: 'east', namespace: ns, name: 'vol' },
    mode: 'copy',
    intent: 'clone',
    options: { stage: false },
  });

  it('a clone leaves no mark after its restore, its ReplicaSet kept the mark while quiesced', async () => {
    // watched while the transfer runs: the controller copies the mark onto the ReplicaSet meanwhile
    let copiedOntoRs = false;
    let running = true;
    const watching = (async () => {
      while (running && !copiedOntoRs) {
        copiedOntoRs = (await replicaSets()).some(
          r => r.metadata?.annotations?.[QUIESCED_BY] === 'marks-clone',
        );
        await new Promise(r => setTimeout(r, 100));
      }
    })();
    await planAndCopy({
      spec: spec('marks-clone', 'c1'),
      source: kc,
      destination: kc,
    }).finally(() => {
      running = false;
    });
    await watching;
    await runningPods(2);
    expect(copiedOntoRs).toBe(true);
    expect(await marks()).toEqual([]);
    // the user's own annotation is still on the ReplicaSet: only ours went
    expect(
      (await replicaSets()).some(
        r => r.metadata?.annotations?.['team.example/owner'] === 'shop',
      ),
    ).toBe(true);
    const copied = scanTree(await volumeDir(kc, 'c1', 'vol'));
    const source = scanTree(srcDir);
    for (const m of [source, copied])
      for (const k of [...m.keys()])
        if (k.startsWith('lost+found')) m.delete(k);
    expect(diffTrees(source, copied)).toEqual([]);
  });

  it('a copy cancelled while syncing leaves no mark after its rollback', async () => {
    const ac = new AbortController();
    const phases: string[] = [];
    await expect(
      planAndCopy({
        spec: spec('marks-rollback', 'c2'),
        source: kc,
        destination: kc,
        signal: ac.signal,
        onEvent: e => {
          if (e.type !== 'phase') return;
          phases.push(e.phase);
          if (e.phase === 'Syncing')
            ac.abort(new Error('cancelled by the test'));
        },
      }),
    ).rejects.toThrow('cancelled by the test');
    expect(phases).toContain('RollingBack');
    await runningPods(2);
    expect(await marks()).toEqual([]);
  });
});
