/**
 * The workflow's dry run plans as the identity the transfer will run as. Under deploy/'s roles the portal's
 * reader may only read, so a plan made with its token finds the engine's rights missing and refuses every
 * request; made with the engine's token (namespaceTransfer.worker.clusters), the same plan is allowed.
 */
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { seedDemoCluster, startClusters, type SimWorld } from 'kube-sim';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { ClusterRegistry, engineKubeConfigs } from '../clusters';
import { enginePlanner } from './engineAdapters';

jest.setTimeout(90_000);

const DEPLOY_DIR = path.resolve(__dirname, '../../../../deploy');
let world: SimWorld;
let registry: ClusterRegistry;
let engineToken: string;

beforeAll(async () => {
  world = await startClusters([{ name: 'east' }]);
  const east = world.cluster('east');
  const seeded = await seedDemoCluster(east, { deployDir: DEPLOY_DIR });
  engineToken = seeded.engineToken;
  registry = new ClusterRegistry([
    {
      name: 'east',
      url: east.server,
      authProvider: 'serviceAccount',
      serviceAccountToken: seeded.backendToken,
      caData: east.caData,
      skipTLSVerify: false,
    },
  ]);
});

afterAll(async () => {
  await world?.stop();
});

const SPEC: TransferSpec = {
  id: 'identity-check',
  source: { cluster: 'east', namespace: 'payments', name: 'payments-db-data' },
  destination: { cluster: 'east', namespace: 'orders', name: 'payments-copy' },
  mode: 'copy',
  intent: 'clone',
};

it("plans with the engine's rights, not the portal reader's", async () => {
  const asReader = await enginePlanner(
    name => registry.clients(name).kubeConfig,
    {},
    60_000,
  ).plan(SPEC);
  expect(asReader.refusals.map(r => r.code)).toContain('MissingPermission');

  const engine = engineKubeConfigs(
    registry,
    new Map([['east', engineToken]]),
    mockServices.logger.mock(),
  );
  const asEngine = await enginePlanner(engine, {}, 60_000).plan(SPEC);
  expect(asEngine.refusals).toEqual([]);
  expect(asEngine).toMatchObject({ allowed: true, mode: 'copy' });
});
