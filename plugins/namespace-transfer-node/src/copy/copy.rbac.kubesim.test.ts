/**
 * Least privilege: the copy flow with a ServiceAccount that only holds the namespace-scoped Role in the
 * two namespaces (RBAC enforced by kube-sim), and preflight refusals that create nothing.
 */
import {
  CoreV1Api,
  RbacAuthorizationV1Api,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters, type SimWorld } from 'kube-sim';
import { gatherFacts } from '../gather';
import { planTransfer } from '../plan';
import { copyRole, copyRoleBinding } from '../rbac';
import { buildTree, chownTree, diffTrees, scanTree } from '../testing/trees';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  ensureStorageClass,
  volumeDir,
} from '../testing/kubesim';
import { runCopy } from '.';

jest.setTimeout(300_000);

describe('least privilege and refusals on kube-sim', () => {
  let world: SimWorld;
  let admin: KubeConfig;
  let srcDir: string;

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    admin = world.cluster('east').kubeConfig();
    await ensureStorageClass(admin, 'fast');
    for (const ns of ['team-a', 'team-b', 'engine'])
      await ensureNamespace(admin, ns);
    srcDir = await createBoundPvc(admin, 'team-a', 'data', 'fast');
    buildTree(srcDir, { smallFiles: 100, sparseBytes: 8 * 1024 * 1024 });
    chownTree(srcDir, 1001, 1001);
    await createWorkload(admin, 'team-a', 'web', 'data', 1001, 1);
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccount({
      namespace: 'engine',
      body: { metadata: { name: 'nstransfer' } },
    });
    for (const ns of ['team-a', 'team-b']) {
      await rbac.createNamespacedRole({ namespace: ns, body: copyRole(ns) });
      await rbac.createNamespacedRoleBinding({
        namespace: ns,
        body: copyRoleBinding(ns, { namespace: 'engine', name: 'nstransfer' }),
      });
    }
  });

  afterAll(async () => {
    await world?.stop();
  });

  const spec: TransferSpec = {
    id: 'rbac-1',
    source: { cluster: 'east', namespace: 'team-a', name: 'data' },
    destination: { cluster: 'east', namespace: 'team-b', name: 'data' },
    mode: 'copy',
    intent: 'clone',
  };

  it('copies with only the namespace-scoped Role in the two namespaces', async () => {
    const { kubeConfig: engine } = world
      .cluster('east')
      .serviceAccountKubeConfig('engine', 'nstransfer');
    // the identity really is limited: no namespaces, no other namespace's pods
    await expect(
      engine.makeApiClient(CoreV1Api).listNamespace(),
    ).rejects.toMatchObject({ code: 403 });
    await expect(
      engine
        .makeApiClient(CoreV1Api)
        .listNamespacedPod({ namespace: 'engine' }),
    ).rejects.toMatchObject({ code: 403 });

    const facts = await gatherFacts({
      spec,
      source: engine,
      destination: engine,
    });
    expect(facts.unreadable).toEqual(
      expect.arrayContaining([
        'sourceNamespace',
        'destinationNamespace',
        'storageClasses',
      ]),
    );
    const plan = planTransfer(facts);
    expect(plan.refusals).toEqual([]);
    expect(plan.warnings.join('\n')).toMatch(
      /not allowed to read storageClasses/,
    );
    const result = await runCopy({
      spec,
      plan,
      source: engine,
      destination: engine,
      sourcePodSpecs: facts.sourceWorkloads.flatMap(w =>
        w.podSpec ? [w.podSpec] : [],
      ),
    });
    expect(result.checkpoint.phase).toBe('Succeeded');
    const a = scanTree(srcDir);
    const b = scanTree(await volumeDir(admin, 'team-b', 'data'));
    for (const m of [a, b])
      for (const k of [...m.keys()])
        if (k.startsWith('lost+found')) m.delete(k);
    expect(diffTrees(a, b)).toEqual([]);
  });

  it('refuses bad input in preflight with messages naming the problem, and creates nothing', async () => {
    const core = admin.makeApiClient(CoreV1Api);
    const before = (
      await core.listNamespacedPersistentVolumeClaim({ namespace: 'team-b' })
    ).items.length;
    const cases: Array<[Partial<TransferSpec>, string, RegExp]> = [
      [
        { source: { ...spec.source, name: 'nope' } },
        'SourceMissing',
        /source PVC east\/team-a\/nope does not exist/,
      ],
      [
        { id: 'rbac-2' },
        'DestinationExists',
        /destination PVC east\/team-b\/data already exists/,
      ],
      [
        {
          id: 'rbac-3',
          destination: { ...spec.destination, name: 'small', size: '1Mi' },
        },
        'DestinationTooSmall',
        /smaller than the source/,
      ],
      [
        {
          id: 'rbac-4',
          destination: {
            ...spec.destination,
            name: 'gold',
            storageClassName: 'gold',
          },
        },
        'StorageClassUnknown',
        /"gold"/,
      ],
      [
        {
          id: 'rbac-5',
          destination: { ...spec.destination, name: 'q' },
          options: { quiesce: false },
        },
        'InUseQuiesceDisallowed',
        /in use/,
      ],
      [
        {
          id: 'rbac-6',
          destination: { ...spec.destination, namespace: 'missing' },
        },
        'DestinationNamespaceMissing',
        /does not exist/,
      ],
    ];
    for (const [patch, code, message] of cases) {
      const s = { ...spec, ...patch };
      const plan = planTransfer(
        await gatherFacts({ spec: s, source: admin, destination: admin }),
      );
      const refusal = plan.refusals.find(r => r.code === code);
      expect({ code, message: refusal?.message }).toEqual({
        code,
        message: expect.stringMatching(message),
      });
      await expect(
        runCopy({ spec: s, plan, source: admin, destination: admin }),
      ).rejects.toThrow(/refused/);
    }
    const ns = await core.readNamespace({ name: 'team-a' });
    ns.metadata!.annotations = {
      ...ns.metadata!.annotations,
      'namespace-transfer.io/transferable': 'false',
    };
    await core.replaceNamespace({ name: 'team-a', body: ns });
    const optedOut = planTransfer(
      await gatherFacts({
        spec: {
          ...spec,
          id: 'rbac-7',
          destination: { ...spec.destination, name: 'o' },
        },
        source: admin,
        destination: admin,
      }),
    );
    expect(optedOut.refusals.map(r => r.code)).toEqual(['OptedOut']);
    expect(
      (await core.listNamespacedPersistentVolumeClaim({ namespace: 'team-b' }))
        .items.length,
    ).toBe(before);
    expect(
      (await core.listNamespacedPod({ namespace: 'team-b' })).items,
    ).toEqual([]);
  });
});
