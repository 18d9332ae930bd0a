/**
 * Never copy a live volume: who uses a claim is resolved from the pods and their controllers, so the
 * demo's StatefulSet claim (made from its claim templates) is quiesced before the final sync, a DaemonSet
 * is taken off every node and put back, and what the engine cannot stop (a bare pod, an operator's
 * Deployment, a finished pod in a rebind's way) is refused in the plan before anything is created or
 * scaled.
 */
import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { seedDemoCluster, startClusters, type SimWorld } from 'kube-sim';
import { gatherFacts } from '../gather';
import { pollUntil, waitForPods } from '../kube';
import { planTransfer } from '../plan';
import {
  QUIESCED_BY,
  QUIESCED_NODE_SELECTOR,
  UNSCHEDULABLE_NODE_LABEL,
} from '../quiesce';
import { RebindRefusedError, runRebind } from '../rebind';
import { ensureClass } from '../rebind/testing';
import {
  createBoundPvc,
  ensureNamespace,
  ensureStorageClass,
  refusedPlan,
  restrictedPod,
  transferLeftovers,
  volumeDir,
} from '../testing/kubesim';
import { buildTree, chownTree, diffTrees, scanTree } from '../testing/trees';
import { planAndCopy, type CopyEvent } from '.';

jest.setTimeout(300_000);

describe('copy resolves who uses the claim (kube-sim)', () => {
  let world: SimWorld;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    kc = world.cluster('east').kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    await seedDemoCluster(world.cluster('east'));
    await ensureStorageClass(kc, 'fast');
    for (const ns of ['orders-moved', 'orders-cloned', 'users', 'users-to'])
      await ensureNamespace(kc, ns);
  });

  afterAll(async () => {
    await world?.stop();
  });

  const spec = (
    id: string,
    source: string,
    destination: string,
    o: Partial<TransferSpec> = {},
  ): TransferSpec => {
    const [sns, sname] = source.split('/');
    const [dns, dname] = destination.split('/');
    return {
      id,
      source: { cluster: 'east', namespace: sns, name: sname },
      destination: { cluster: 'east', namespace: dns, name: dname },
      mode: 'copy',
      intent: 'move',
      options: { endpoint: 'clusterip' },
      ...o,
    };
  };

  const statefulSetPods = async (ns: string, app: string) =>
    (
      await core.listNamespacedPod({
        namespace: ns,
        labelSelector: `app=${app}`,
      })
    ).items.map(p => p.metadata!.name!);

  const tree = async (ns: string, name: string) => {
    const m = scanTree(await volumeDir(kc, ns, name));
    for (const k of [...m.keys()]) if (k.startsWith('lost+found')) m.delete(k);
    return m;
  };

  const running = (ns: string, selector: string, count: number) =>
    waitForPods(
      kc,
      ns,
      pods => {
        const up = pods.filter(
          (p: V1Pod) =>
            p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp,
        );
        return up.length === count ? up : undefined;
      },
      {
        labelSelector: selector,
        timeoutMs: 60_000,
        what: `${count} pods ${selector}`,
      },
    );

  it("moves the demo StatefulSet's claim with no pod of it running during the final sync; a clone brings it back", async () => {
    await running('orders', 'app=orders-cache', 1);
    // the demo's application seeds its volume once it runs: wait for it, then take the source's picture
    await pollUntil(
      async () =>
        (await tree('orders', 'data-orders-cache-0')).has('.seeded')
          ? true
          : undefined,
      { timeoutMs: 60_000, what: 'the cache to seed its volume' },
    );
    const s = spec(
      'sts-move',
      'orders/data-orders-cache-0',
      'orders-moved/data-orders-cache-0',
    );
    const facts = await gatherFacts({ spec: s, source: kc, destination: kc });
    expect(planTransfer(facts).workloads).toEqual([
      {
        kind: 'StatefulSet',
        namespace: 'orders',
        name: 'orders-cache',
        replicas: 1,
      },
    ]);
    let atFinalSync: Promise<string[]> | undefined;
    let syncing = 0;
    const result = await planAndCopy({
      spec: s,
      source: kc,
      destination: kc,
      onEvent: (e: CopyEvent) => {
        // the second Syncing phase is the final sync (the first is staging's)
        if (e.type === 'phase' && e.phase === 'Syncing' && ++syncing === 1)
          atFinalSync = statefulSetPods('orders', 'orders-cache');
      },
    });
    expect(await atFinalSync).toEqual([]);
    expect(result.downtimeMs).toBeGreaterThan(0);
    expect(
      diffTrees(
        await tree('orders', 'data-orders-cache-0'),
        await tree('orders-moved', 'data-orders-cache-0'),
      ),
    ).toEqual([]);
    // the copy appears where the source did: its labels (the catalog entity's) and size as written
    const moved = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'orders-moved',
      name: 'data-orders-cache-0',
    });
    expect(moved.metadata?.labels).toMatchObject({
      'backstage.io/kubernetes-id': 'orders-api',
      'namespace-transfer.io/transfer-id': 'sts-move',
    });
    expect(moved.spec?.resources?.requests?.storage).toBe('1Gi');
    expect(moved.metadata?.annotations?.['namespace-transfer.io/source']).toBe(
      'east/orders/data-orders-cache-0',
    );
    const sts = await apps.readNamespacedStatefulSet({
      name: 'orders-cache',
      namespace: 'orders',
    });
    // a move keeps the source stopped
    expect(sts.spec?.replicas).toBe(0);
    expect(sts.metadata?.annotations?.[QUIESCED_BY]).toBe('sts-move');
    expect(await statefulSetPods('orders', 'orders-cache')).toEqual([]);

    // give the application back (as a person would after a move they regret), then clone it
    sts.spec!.replicas = 1;
    for (const k of Object.keys(sts.metadata!.annotations!))
      if (k.startsWith('namespace-transfer.io/quiesced'))
        delete sts.metadata!.annotations![k];
    await apps.replaceNamespacedStatefulSet({
      name: 'orders-cache',
      namespace: 'orders',
      body: sts,
    });
    await running('orders', 'app=orders-cache', 1);
    const clone = await planAndCopy({
      spec: spec(
        'sts-clone',
        'orders/data-orders-cache-0',
        'orders-cloned/data-orders-cache-0',
        { intent: 'clone' },
      ),
      source: kc,
      destination: kc,
    });
    expect(clone.downtimeMs).toBeGreaterThan(0);
    await running('orders', 'app=orders-cache', 1);
    const back = await apps.readNamespacedStatefulSet({
      name: 'orders-cache',
      namespace: 'orders',
    });
    expect(back.spec?.replicas).toBe(1);
    expect(back.metadata?.annotations?.[QUIESCED_BY]).toBeUndefined();
  });

  it('stops a DaemonSet with a node selector no node matches, and puts its own back', async () => {
    const dir = await createBoundPvc(kc, 'users', 'shared', 'fast');
    buildTree(dir, { smallFiles: 10, sparseBytes: 0, largeBytes: 4096 });
    chownTree(dir, 1000, 1000);
    const template = restrictedPod('agent', ['sleep', '3600'], {
      restartPolicy: 'Always',
      claim: 'shared',
    });
    template.spec!.nodeSelector = { 'kubernetes.io/os': 'linux' };
    await apps.createNamespacedDaemonSet({
      namespace: 'users',
      body: {
        metadata: { name: 'agent' },
        spec: {
          selector: { matchLabels: { app: 'agent' } },
          template: {
            metadata: { labels: { app: 'agent' } },
            spec: template.spec,
          },
        },
      },
    });
    await running('users', 'app=agent', 1);
    let duringFinal: Promise<string[]> | undefined;
    let syncing = 0;
    const result = await planAndCopy({
      spec: spec('ds-clone', 'users/shared', 'users-to/shared', {
        intent: 'clone',
      }),
      source: kc,
      destination: kc,
      onEvent: (e: CopyEvent) => {
        if (e.type === 'phase' && e.phase === 'Syncing' && ++syncing === 1)
          duringFinal = statefulSetPods('users', 'agent');
      },
    });
    expect(result.plan.workloads).toEqual([
      expect.objectContaining({ kind: 'DaemonSet', name: 'agent' }),
    ]);
    expect(await duringFinal).toEqual([]);
    await running('users', 'app=agent', 1);
    const ds = await apps.readNamespacedDaemonSet({
      name: 'agent',
      namespace: 'users',
    });
    expect(ds.spec?.template.spec?.nodeSelector).toEqual({
      'kubernetes.io/os': 'linux',
    });
    expect(
      Object.keys(ds.metadata?.annotations ?? {}).filter(k =>
        [QUIESCED_BY, QUIESCED_NODE_SELECTOR].includes(k),
      ),
    ).toEqual([]);
    expect(JSON.stringify(ds.spec)).not.toContain(UNSCHEDULABLE_NODE_LABEL);
    expect(
      diffTrees(
        await tree('users', 'shared'),
        await tree('users-to', 'shared'),
      ),
    ).toEqual([]);
  });

  it("refuses a bare pod and an operator's Deployment in the plan, creating and scaling nothing", async () => {
    await createBoundPvc(kc, 'users', 'scratch', 'fast');
    const bare = restrictedPod('debug', ['sleep', '3600'], {
      claim: 'scratch',
    });
    await core.createNamespacedPod({ namespace: 'users', body: bare });
    const refusedBare = await refusedPlan(
      planAndCopy({
        spec: spec('bare-1', 'users/scratch', 'users-to/scratch'),
        source: kc,
        destination: kc,
      }),
    );
    expect(refusedBare.refusals).toContainEqual({
      code: 'InUseUnstoppable',
      message: expect.stringContaining(
        'Pod users/debug uses the source PVC and cannot be stopped: a pod without a controller',
      ),
    });

    // an operator's custom resource owns the Deployment: scaling it down would be undone
    await kc.makeApiClient(ApiextensionsV1Api).createCustomResourceDefinition({
      body: {
        metadata: { name: 'databases.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: {
            plural: 'databases',
            singular: 'database',
            kind: 'Database',
          },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  x_kubernetes_preserve_unknown_fields: true,
                },
              },
            },
          ],
        },
      },
    });
    await createBoundPvc(kc, 'users', 'db', 'fast');
    const cr = (await pollUntil(
      () =>
        kc
          .makeApiClient(CustomObjectsApi)
          .createNamespacedCustomObject({
            group: 'example.com',
            version: 'v1',
            namespace: 'users',
            plural: 'databases',
            body: {
              apiVersion: 'example.com/v1',
              kind: 'Database',
              metadata: { name: 'main' },
            },
          })
          .catch(() => undefined),
      { timeoutMs: 30_000, what: 'the Database kind to be served' },
    )) as { metadata: { uid: string } };
    const pod = restrictedPod('x', ['sleep', '3600'], {
      restartPolicy: 'Always',
      claim: 'db',
    });
    await apps.createNamespacedDeployment({
      namespace: 'users',
      body: {
        metadata: {
          name: 'main-db',
          ownerReferences: [
            {
              apiVersion: 'example.com/v1',
              kind: 'Database',
              name: 'main',
              uid: cr.metadata.uid,
              controller: true,
            },
          ],
        },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'main-db' } },
          template: {
            metadata: { labels: { app: 'main-db' } },
            spec: pod.spec,
          },
        },
      },
    });
    await running('users', 'app=main-db', 1);
    const refusedOperator = await refusedPlan(
      planAndCopy({
        spec: spec('operator-1', 'users/db', 'users-to/db'),
        source: kc,
        destination: kc,
      }),
    );
    expect(refusedOperator.refusals).toContainEqual({
      code: 'InUseUnstoppable',
      message: expect.stringContaining(
        'is controlled by Database main, which would scale it back up',
      ),
    });
    // nothing was made, nothing stopped
    for (const id of ['bare-1', 'operator-1'])
      for (const ns of ['users', 'users-to'])
        expect(await transferLeftovers(kc, ns, id, { pvcs: true })).toEqual([]);
    const db = await apps.readNamespacedDeployment({
      name: 'main-db',
      namespace: 'users',
    });
    expect(db.spec?.replicas).toBe(1);
    expect(db.metadata?.annotations?.[QUIESCED_BY]).toBeUndefined();
  });

  it('names a finished pod in the plan, and runRebind refuses it before changing anything', async () => {
    await ensureClass(kc, 'movable', 'true');
    await createBoundPvc(kc, 'users', 'reports', 'movable');
    const once = restrictedPod('report-once', ['true'], { claim: 'reports' });
    await core.createNamespacedPod({ namespace: 'users', body: once });
    await waitForPods(
      kc,
      'users',
      pods =>
        pods.find(p => p.status?.phase === 'Succeeded') ? true : undefined,
      {
        fieldSelector: 'metadata.name=report-once',
        timeoutMs: 60_000,
        what: 'the report pod to finish',
      },
    );
    const s = spec('finished-1', 'users/reports', 'users-to/reports', {
      mode: 'rebind',
    });
    const plan = planTransfer(
      await gatherFacts({
        spec: s,
        source: kc,
        destination: kc,
        allowTransferDefault: false,
      }),
    );
    expect(plan.refusals).toEqual([
      {
        code: 'RebindImpossible',
        message: expect.stringContaining(
          'finished pod users/report-once (Succeeded) still names the claim, and would keep it from being deleted: delete it first (kubectl -n users delete pod report-once)',
        ),
      },
    ]);
    const pvcBefore = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'users',
      name: 'reports',
    });
    const err = await runRebind({ spec: s, kubeConfig: kc }).catch(e => e);
    expect(err).toBeInstanceOf(RebindRefusedError);
    expect(String(err)).toContain('finished pod users/report-once (Succeeded)');
    const pvcAfter = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'users',
      name: 'reports',
    });
    // not one write: the claim is the same object, and its volume kept its policy
    expect(pvcAfter.metadata?.resourceVersion).toBe(
      pvcBefore.metadata?.resourceVersion,
    );
    const pv = await core.readPersistentVolume({
      name: pvcAfter.spec!.volumeName!,
    });
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(Object.keys(pv.metadata?.annotations ?? {}).join()).not.toContain(
      'namespace-transfer.io',
    );
  });
});
