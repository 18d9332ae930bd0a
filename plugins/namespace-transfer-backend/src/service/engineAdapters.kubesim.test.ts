import { CoreV1Api, StorageV1Api } from '@kubernetes/client-node';
import { startClusters, type SimCluster, type SimWorld } from 'kube-sim';
import { ClusterRegistry } from '../clusters';
import {
  ensureNamespace,
  ensureStorageClass,
  volumeDir,
} from '../worker/__testUtils__/kubesim';
import { enginePlanner, registryClusterFacts } from './engineAdapters';

jest.setTimeout(120_000);

/*
 * The workflow's ports on real API servers: the engine's dry run and the clusters' claims and storage
 * classes, read through the backend's cluster registry.
 */

let world: SimWorld;
let registry: ClusterRegistry;

const entry = (c: SimCluster) => ({
  name: c.name,
  url: c.server,
  authProvider: 'serviceAccount',
  serviceAccountToken: c
    .userKubeConfig({ username: 'engine', groups: ['system:masters'] })
    .getCurrentUser()!.token!,
  caData: c.caData,
  skipTLSVerify: false,
});

const spec = (claim: string) => ({
  id: 'adapter-test',
  source: { cluster: 'east', namespace: 'shop', name: claim },
  destination: {
    cluster: 'west',
    namespace: 'shop',
    name: claim,
    labels: { 'backstage.io/kubernetes-id': 'shop' },
  },
  mode: 'auto' as const,
  intent: 'move' as const,
});

beforeAll(async () => {
  world = await startClusters([{ name: 'east' }, { name: 'west' }]);
  const east = world.cluster('east').kubeConfig();
  const west = world.cluster('west').kubeConfig();
  await ensureStorageClass(east, 'standard');
  await ensureStorageClass(west, 'standard');
  await west.makeApiClient(StorageV1Api).createStorageClass({
    body: {
      metadata: {
        name: 'fast',
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      provisioner: 'kube-sim.io/hostpath',
    },
  });
  await ensureNamespace(east, 'shop');
  await ensureNamespace(west, 'shop');
  for (const name of ['orders', 'carts'])
    await east.makeApiClient(CoreV1Api).createNamespacedPersistentVolumeClaim({
      namespace: 'shop',
      body: {
        metadata: { name },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'standard',
          resources: { requests: { storage: '1Gi' } },
        },
      },
    });
  await volumeDir(east, 'shop', 'orders');
  registry = new ClusterRegistry([
    entry(world.cluster('east')),
    entry(world.cluster('west')),
  ]);
});

afterAll(async () => {
  await world?.stop();
});

describe('registryClusterFacts', () => {
  it("reads a namespace's claims and a cluster's storage classes", async () => {
    const facts = registryClusterFacts(registry, 10_000);
    expect(facts.names()).toEqual(['east', 'west']);
    expect(await facts.claims('east', 'shop')).toEqual(['carts', 'orders']);
    expect(await facts.claims('east', 'nothing-here')).toEqual([]);
    expect(await facts.storageClasses('west')).toEqual([
      { name: 'fast', isDefault: true },
      { name: 'standard', isDefault: false },
    ]);
  });

  it('gives up on a cluster within its budget', async () => {
    const facts = registryClusterFacts(registry, 1);
    await expect(facts.storageClasses('east')).rejects.toThrow(
      /listing the storage classes of east took longer than 1 ms/,
    );
  });
});

describe('enginePlanner', () => {
  const planner = () =>
    enginePlanner(name => registry.clients(name).kubeConfig, {}, 30_000);

  it('plans a bound claim across clusters as a copy, writing nothing', async () => {
    const before = await world
      .cluster('west')
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .listNamespacedPersistentVolumeClaim({ namespace: 'shop' });
    const plan = await planner().plan(spec('orders'));
    expect(plan).toMatchObject({
      allowed: true,
      mode: 'copy',
      refusals: [],
      source: { cluster: 'east', name: 'orders' },
      destination: { cluster: 'west', name: 'orders', exists: false },
    });
    const after = await world
      .cluster('west')
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .listNamespacedPersistentVolumeClaim({ namespace: 'shop' });
    expect(after.items).toHaveLength(before.items.length);
  });

  it('answers a claim that does not exist with a refusal, not an error', async () => {
    const plan = await planner().plan(spec('missing'));
    expect(plan.allowed).toBe(false);
    expect(plan.refusals.map(r => r.code)).toContain('SourceMissing');
  });
});
