/**
 * Least privilege on a real API server: the worker started as plugin.ts starts it runs a transfer with the
 * engine's ServiceAccount (namespaceTransfer.worker.clusters), as the cluster itself says through a
 * SelfSubjectReview made with the KubeConfig the engine was given, while the registry's clients, which
 * the portal's routes read with, still authenticate as the reader.
 */
import { AuthenticationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { ConfigReader } from '@backstage/config';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { startClusters, type SimWorld } from 'kube-sim';
import { ClusterRegistry } from '../clusters';
import { migrateToLatest } from '../store/migrate';
import { newTransfer } from '../store/__testUtils__/transfers';
import { TransferStore } from '../store';
import { startTransferWorker } from './startTransferWorker';
import {
  eventually,
  FakeEngine,
  recordingNotices,
  result,
} from './__testUtils__/fakeEngine';

jest.setTimeout(60_000);

const NS = 'namespace-transfer-system';
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
let world: SimWorld;

beforeAll(async () => {
  world = await startClusters([{ name: 'east' }]);
});
afterAll(async () => {
  await world?.stop();
});

/** Who the API server says the bearer of `kc` is. */
async function whoAmI(kc: KubeConfig): Promise<string | undefined> {
  const review = await kc
    .makeApiClient(AuthenticationV1Api)
    .createSelfSubjectReview({
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      },
    });
  return review.status?.userInfo?.username;
}

it("runs transfers as the engine's ServiceAccount while the portal's clients read as the reader", async () => {
  const east = world.cluster('east');
  const reader = east.serviceAccountKubeConfig(NS, 'namespace-transfer').token;
  const engineToken = east.serviceAccountKubeConfig(
    NS,
    'namespace-transfer-engine',
  ).token;
  const registry = new ClusterRegistry([
    {
      name: 'east',
      url: east.server,
      authProvider: 'serviceAccount',
      serviceAccountToken: reader,
      caData: east.caData,
      skipTLSVerify: false,
    },
  ]);
  const db = await databases.init('SQLITE_3');
  await migrateToLatest(db);
  const store = new TransferStore(db);
  const logger = mockServices.logger.mock();
  const engine = new FakeEngine();
  const asEngine: Array<string | undefined> = [];
  engine.script = async o => {
    // the engine's own calls, through what it was given for either side
    asEngine.push(await whoAmI(o.source), await whoAmI(o.destination));
    o.onEvent?.({ type: 'plan', plan: o.approvedPlan ?? o.plan! });
    return result({ outcome: 'succeeded', mode: 'copy' });
  };
  const lifecycle = mockServices.lifecycle.mock();
  const worker = await startTransferWorker({
    config: new ConfigReader({
      namespaceTransfer: {
        worker: {
          pollInterval: '200ms',
          clusters: [{ name: 'east', serviceAccountToken: engineToken }],
        },
      },
    }),
    logger,
    scheduler: mockServices.scheduler.mock(),
    lifecycle,
    store,
    registry,
    notices: recordingNotices().notices,
    engine: engine.run,
    cancelWatchMs: 100,
  });
  try {
    for (const [hook] of lifecycle.addStartupHook.mock.calls) await hook();
    const base = newTransfer({ options: { verify: 'full' } });
    const t = await store.createTransfer({
      ...base,
      destination: { ...base.destination, cluster: 'east' },
    });
    await store.decide({
      transferId: t.id,
      kind: 'approve',
      actor: 'user:default/bob',
      ownership: { sourceOwners: ['group:default/team-payments'] },
    });
    worker.wake();
    await eventually(
      async () => (await store.get(t.id)).state === 'succeeded',
      'the transfer to succeed',
    );
  } finally {
    await worker.stop();
  }

  const engineUser = `system:serviceaccount:${NS}:namespace-transfer-engine`;
  expect(asEngine).toEqual([engineUser, engineUser]);
  const portal = registry
    .clients('east')
    .withSignal(new AbortController().signal);
  expect(await whoAmI(portal.kubeConfig)).toBe(
    `system:serviceaccount:${NS}:namespace-transfer`,
  );
  // every cluster has an engine identity: no fallback warning, and no token in any log line
  expect(logger.warn).not.toHaveBeenCalled();
  const logged = JSON.stringify([
    logger.info.mock.calls,
    logger.warn.mock.calls,
    logger.error.mock.calls,
  ]);
  expect(logged).not.toContain(engineToken);
  expect(logged).not.toContain(reader);
});
