/**
 * The fixtures against one real cluster: the options that let two kits keep their own defaults (a missing
 * claim waited for or not, a workload's replicas, the label of a run) are the parts worth proving.
 */
import { statSync } from 'node:fs';
import {
  AppsV1Api,
  CoreV1Api,
  StorageV1Api,
  type KubeConfig,
} from '@kubernetes/client-node';
import { startClusters, type SimCluster, type SimWorld } from '../index';
import {
  createBoundClaim,
  ensureNamespace,
  ensureStorageClass,
  leftoversFinder,
  volumeDir,
  workloadCreator,
} from './fixtures';
import { waitFor } from './waitFor';

jest.setTimeout(120_000);

const NS = 'fixtures';
const CLASS = 'fx';
let world: SimWorld;
let cluster: SimCluster;
let kc: KubeConfig;

beforeAll(async () => {
  world = await startClusters([{ name: 'fixtures' }]);
  cluster = world.cluster('fixtures');
  kc = cluster.kubeConfig();
  await ensureStorageClass(kc, CLASS);
  await ensureNamespace(kc, NS, { team: 'first' });
});

afterAll(async () => {
  await world?.stop();
});

it('makes the class and the namespace once; a second call changes nothing', async () => {
  await ensureStorageClass(kc, CLASS);
  await ensureNamespace(kc, NS, { team: 'second' });
  const sc = await kc
    .makeApiClient(StorageV1Api)
    .readStorageClass({ name: CLASS });
  expect(sc.provisioner).toBe('kube-sim.io/hostpath');
  const ns = await kc.makeApiClient(CoreV1Api).readNamespace({ name: NS });
  expect(ns.metadata?.labels?.team).toBe('first');
});

it('binds a claim to a directory of the cluster on this host', async () => {
  const dir = await createBoundClaim(kc, NS, 'data', {
    storageClassName: CLASS,
    size: '2Gi',
  });
  expect(statSync(dir).isDirectory()).toBe(true);
  expect(dir.startsWith(cluster.dataDir)).toBe(true);
  expect(await volumeDir(kc, NS, 'data')).toBe(dir);
});

it('fails at once on a missing claim, or waits until it is made when told to', async () => {
  await expect(volumeDir(kc, NS, 'later')).rejects.toMatchObject({
    code: 404,
  });
  const trace = cluster.apiServer.trace();
  try {
    const waiting = volumeDir(kc, NS, 'later', { whileMissing: true });
    waiting.catch(() => undefined); // awaited below; a failure before then must not go unhandled
    await waitFor('the waiting read to find no claim', () =>
      trace
        .requests()
        .some(r => r.name === 'later' && r.verb === 'get' && r.code === 404),
    );
    const dir = await createBoundClaim(kc, NS, 'later', {
      storageClassName: CLASS,
    });
    expect(await waiting).toBe(dir);
  } finally {
    trace.stop();
  }
});

it("creates a workload with the kit's default replicas unless asked otherwise", async () => {
  const apps = kc.makeApiClient(AppsV1Api);
  await workloadCreator({ replicas: 0 })(kc, NS, 'stopped', 'data', 1234);
  // an explicit count wins over the default (0 here, so that no pod has to run)
  await workloadCreator({ replicas: 3 })(kc, NS, 'asked', 'data', 1234, 0);
  for (const name of ['stopped', 'asked']) {
    const d = await apps.readNamespacedDeployment({ namespace: NS, name });
    expect(d.spec?.replicas).toBe(0);
    expect(d.spec?.template.spec?.securityContext).toMatchObject({
      runAsUser: 1234,
      fsGroup: 1234,
    });
    expect(d.spec?.template.spec?.volumes?.[0].persistentVolumeClaim).toEqual({
      claimName: 'data',
    });
  }
});

it("finds what carries a run's label, claims only when asked", async () => {
  const core = kc.makeApiClient(CoreV1Api);
  const labels = (run: string) => ({ 'example.test/run': run });
  await core.createNamespacedConfigMap({
    namespace: NS,
    body: { metadata: { name: 'ours', labels: labels('r1') } },
  });
  await core.createNamespacedSecret({
    namespace: NS,
    body: { metadata: { name: 'ours-too', labels: labels('r1') } },
  });
  await core.createNamespacedConfigMap({
    namespace: NS,
    body: { metadata: { name: 'theirs', labels: labels('r2') } },
  });
  await createBoundClaim(kc, NS, 'made', {
    storageClassName: CLASS,
    labels: labels('r1'),
  });
  const leftovers = leftoversFinder(id => `example.test/run=${id}`);
  expect((await leftovers(kc, NS, 'r1')).sort()).toEqual(['ours', 'ours-too']);
  expect((await leftovers(kc, NS, 'r1', { pvcs: true })).sort()).toEqual([
    'made',
    'ours',
    'ours-too',
  ]);
});
