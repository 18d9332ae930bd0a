/**
 * Quotas and LimitRanges on kube-sim, whose API server enforces them as the real one does: a copy or a
 * rebind that would not fit is refused by the plan before anything changes; one that fits runs, its mover
 * pods admitted under a compute quota that demands limits.
 */
import {
  CoreV1Api,
  type KubeConfig,
  type V1ResourceQuota,
} from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters, type SimWorld } from 'kube-sim';
import { pollUntil } from '../kube';
import { planAndCopy } from '../copy';
import { RebindRefusedError, runRebind } from '../rebind';
import { ensureClass } from '../rebind/testing';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  refusedPlan,
  transferLeftovers,
  volumeDir,
} from '../testing/kubesim';
import { buildTree, chownTree, diffTrees, scanTree } from '../testing/trees';

jest.setTimeout(300_000);

const APP_UID = 1001;

describe('quotas and limit ranges on kube-sim', () => {
  let world: SimWorld;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let srcDir: string;

  /** Creates a quota and waits for the resource-quota controller to report its usage. */
  async function quota(
    namespace: string,
    name: string,
    hard: Record<string, string>,
  ) {
    await core.createNamespacedResourceQuota({
      namespace,
      body: { metadata: { name }, spec: { hard } },
    });
    return pollUntil(
      async () => {
        const q = await core.readNamespacedResourceQuota({ namespace, name });
        return Object.keys(q.status?.used ?? {}).length ===
          Object.keys(hard).length
          ? q
          : undefined;
      },
      {
        timeoutMs: 30_000,
        what: `quota ${namespace}/${name} to have its usage`,
      },
    );
  }

  const copySpec = (id: string, namespace: string): TransferSpec => ({
    id,
    source: { cluster: 'east', namespace: 'src', name: 'data' },
    destination: { cluster: 'east', namespace, name: 'data' },
    mode: 'copy',
    intent: 'clone',
  });

  const copy = (spec: TransferSpec) =>
    planAndCopy({ spec, source: kc, destination: kc });

  const sameFiles = (dir: string) => {
    const strip = (m: ReturnType<typeof scanTree>) => {
      for (const k of [...m.keys()])
        if (k.startsWith('lost+found')) m.delete(k);
      return m;
    };
    // content compared by sha256 of every file
    return diffTrees(strip(scanTree(srcDir)), strip(scanTree(dir)), {
      modes: false,
    });
  };

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    kc = world.cluster('east').kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    await ensureClass(kc, 'fast', 'true');
    for (const ns of ['src', 'full', 'compute', 'movers', 'rb-full', 'rb-room'])
      await ensureNamespace(kc, ns);
    srcDir = await createBoundPvc(kc, 'src', 'data', 'fast', '1Gi');
    buildTree(srcDir, {
      smallFiles: 30,
      sparseBytes: 1024 * 1024,
      largeBytes: 2 * 1024 * 1024,
    });
    chownTree(srcDir, APP_UID, APP_UID);
    await createWorkload(kc, 'src', 'web', 'data', APP_UID, 0);
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('refuses a copy whose destination claim does not fit, naming the quota and the resource, and creates nothing', async () => {
    await core.createNamespacedPersistentVolumeClaim({
      namespace: 'full',
      body: {
        metadata: { name: 'other' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'fast',
          resources: { requests: { storage: '1536Mi' } },
        },
      },
    });
    await quota('full', 'storage', {
      'requests.storage': '2Gi',
      'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '5',
    });
    const plan = await refusedPlan(copy(copySpec('q-full', 'full')));
    expect(plan.refusals).toEqual([
      {
        code: 'QuotaExceeded',
        message:
          'ResourceQuota east/full/storage: the destination claim would add requests.storage 1 GiB to the 1.5 GiB used of 2 GiB',
      },
    ]);
    expect(
      await transferLeftovers(kc, 'full', 'q-full', { pvcs: true }),
    ).toEqual([]);
    expect(await transferLeftovers(kc, 'src', 'q-full')).toEqual([]);
  });

  it("refuses mover pods the destination's quota or LimitRange would refuse", async () => {
    await quota('movers', 'no-pods', { pods: '0' });
    await core.createNamespacedLimitRange({
      namespace: 'movers',
      body: {
        metadata: { name: 'big-only' },
        spec: { limits: [{ type: 'Container', min: { memory: '256Mi' } }] },
      },
    });
    const plan = await refusedPlan(copy(copySpec('q-movers', 'movers')));
    expect(plan.refusals.map(r => r.code)).toEqual([
      'QuotaExceeded',
      'QuotaExceeded',
    ]);
    expect(plan.refusals.map(r => r.message)).toEqual([
      'ResourceQuota east/movers/no-pods: the mover server pod would add pods 1 to the 0 used of 0',
      'LimitRange east/movers/big-only: each container of the mover server pod would ask for memory 128 MiB, below the minimum per Container of 256 MiB (the mover resources are set by nstransfer --mover-* or namespaceTransfer.mover.resources)',
    ]);
    expect(
      await transferLeftovers(kc, 'movers', 'q-movers', { pvcs: true }),
    ).toEqual([]);
  });

  it('runs a copy under compute quotas that demand limits: the movers carry them, the data arrives', async () => {
    const dst = await quota('compute', 'compute', {
      'limits.cpu': '4',
      'limits.memory': '2Gi',
      'requests.cpu': '1',
      'requests.memory': '1Gi',
      pods: '3',
      'requests.storage': '1Gi',
    });
    await quota('src', 'compute', {
      'requests.cpu': '2',
      'requests.memory': '2Gi',
      'limits.cpu': '2',
    });
    expect(dst.status?.used).toMatchObject({ pods: '0', 'limits.cpu': '0' });
    const result = await copy(copySpec('q-compute', 'compute'));
    expect(result.plan.moverResources).toEqual({
      source: {
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { cpu: '1' },
      },
      destination: {
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { cpu: '1', memory: '512Mi' },
      },
    });
    expect(result.syncs.every(s => s.result.ok)).toBe(true);
    expect(sameFiles(await volumeDir(kc, 'compute', 'data'))).toEqual([]);
    // what is left: the destination claim, charged to the quota; the movers are gone
    expect(await transferLeftovers(kc, 'compute', 'q-compute')).toEqual([]);
    const after = await pollUntil(
      async () => {
        const q: V1ResourceQuota = await core.readNamespacedResourceQuota({
          namespace: 'compute',
          name: 'compute',
        });
        return q.status?.used?.pods === '0' ? q : undefined;
      },
      { timeoutMs: 30_000, what: 'the movers to be given back to the quota' },
    );
    expect(after.status?.used).toMatchObject({
      'requests.storage': '1Gi',
      'limits.cpu': '0',
    });
  });

  it('refuses a rebind the destination quota cannot take before the source is touched', async () => {
    const dir = await createBoundPvc(kc, 'src', 'moving', 'fast', '1Gi');
    buildTree(dir, { smallFiles: 10, sparseBytes: 1024 * 1024 });
    await quota('rb-full', 'claims', { persistentvolumeclaims: '0' });
    const claim = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'src',
      name: 'moving',
    });
    const pv = await core.readPersistentVolume({
      name: claim.spec!.volumeName!,
    });
    const refused = await runRebind({
      spec: {
        ...copySpec('q-rb-full', 'rb-full'),
        source: { cluster: 'east', namespace: 'src', name: 'moving' },
        mode: 'rebind',
        intent: 'move',
      },
      kubeConfig: kc,
    }).catch(e => e);
    expect(refused).toBeInstanceOf(RebindRefusedError);
    expect((refused as RebindRefusedError).failures).toEqual([
      {
        precondition: 'QuotaAllows',
        code: 'QuotaExceeded',
        message:
          'ResourceQuota east/rb-full/claims: the destination claim would add persistentvolumeclaims 1 to the 0 used of 0',
      },
    ]);
    const claimAfter = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'src',
      name: 'moving',
    });
    const pvAfter = await core.readPersistentVolume({
      name: pv.metadata!.name!,
    });
    expect(claimAfter.metadata?.resourceVersion).toBe(
      claim.metadata?.resourceVersion,
    );
    expect(pvAfter.metadata?.resourceVersion).toBe(
      pv.metadata?.resourceVersion,
    );
    expect(pvAfter.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
  });

  it('runs a rebind that fits: the volume and its data move, and the quota counts the new claim', async () => {
    const dir = await createBoundPvc(kc, 'src', 'fits', 'fast', '1Gi');
    buildTree(dir, { smallFiles: 10, sparseBytes: 1024 * 1024 });
    const before = scanTree(dir);
    await quota('rb-room', 'claims', {
      persistentvolumeclaims: '1',
      'requests.storage': '1Gi',
    });
    await runRebind({
      spec: {
        ...copySpec('q-rb-room', 'rb-room'),
        source: { cluster: 'east', namespace: 'src', name: 'fits' },
        mode: 'rebind',
        intent: 'move',
      },
      kubeConfig: kc,
    });
    expect(
      diffTrees(before, scanTree(await volumeDir(kc, 'rb-room', 'data'))),
    ).toEqual([]);
    const q = await core.readNamespacedResourceQuota({
      namespace: 'rb-room',
      name: 'claims',
    });
    expect(q.status?.used).toEqual({
      persistentvolumeclaims: '1',
      'requests.storage': '1Gi',
    });
  });
});
