/**
 * The worker with the real engine on two kube-sim clusters and a real store: a transfer approved, run and
 * verified by checksums at the destination with nothing of the engine left; a cancel while it runs (rolled
 * back, the application back, nothing left); a retry after an injected failure (a new attempt with its own
 * engine id); a run whose source cluster went away past its budget (left for a resume, not a retry; a cancel
 * rolls it back); a plan that changed before the start (back to approval, nothing created); stage then cut over.
 */
import { chownSync, writeFileSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import { KubeConfig, Watch, type V1Pod } from '@kubernetes/client-node';
import { ConfigReader } from '@backstage/config';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import {
  LABEL_ROLE,
  LABEL_TRANSFER_ID,
  planTransferRun,
  runTransfer,
  type TransferRunOptions,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import type {
  TransferIntent,
  TransferOptions,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  startClusters,
  type OutageHandle,
  type SimCluster,
  type SimWorld,
} from 'kube-sim';
import { ClusterRegistry, type ClusterConfig } from '../clusters';
import { migrateToLatest } from '../store/migrate';
import { clientOf, storeTestDatabases } from '../store/__testUtils__/databases';
import { TransferStore, type Transfer } from '../store';
import {
  startTransferWorker,
  type TransferWorkerHandle,
} from './startTransferWorker';
import { eventually, recordingNotices } from './__testUtils__/fakeEngine';
import {
  checksums,
  createWorkload,
  ensureNamespace,
  ensureStorageClass,
  filledClaim,
  leftovers,
  replicasOf,
  volumeDir,
} from './__testUtils__/kubesim';

jest.setTimeout(300_000);

const ENGINE = 'namespace-transfer-engine';
const NS = 'shop';
const UID = 1001;
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const owner = {
  actor: 'user:default/bob',
  ownership: { sourceOwners: ['group:default/shop'] },
};

let world: SimWorld;
let east: SimCluster;
let west: SimCluster;
let admin: { east: KubeConfig; west: KubeConfig };
let registry: ClusterRegistry;
let db: Knex;
let store: TransferStore;
let worker: TransferWorkerHandle;
/** the test's look at the engine's calls (the real runTransfer runs them) */
let tap: (o: TransferRunOptions) => TransferRunOptions = o => o;
const notices = recordingNotices();

/** The cluster as the backend's config names it: its URL, CA and a token of the engine's own identity. */
function clusterConfig(c: SimCluster): ClusterConfig {
  const token = c
    .userKubeConfig({ username: ENGINE, groups: ['system:masters'] })
    .getCurrentUser()!.token!;
  return {
    name: c.name,
    url: c.server,
    authProvider: 'serviceAccount',
    serviceAccountToken: token,
    caData: c.caData,
    skipTLSVerify: false,
  };
}

beforeAll(async () => {
  world = await startClusters([{ name: 'east' }, { name: 'west' }]);
  east = world.cluster('east');
  west = world.cluster('west');
  admin = { east: east.kubeConfig(), west: west.kubeConfig() };
  for (const kc of [admin.east, admin.west]) {
    await ensureStorageClass(kc, 'fast');
    await ensureNamespace(kc, NS);
  }
  registry = new ClusterRegistry([clusterConfig(east), clusterConfig(west)]);
  db = await databases.init('SQLITE_3');
  await migrateToLatest(db);
  store = new TransferStore(db);
  const lifecycle = mockServices.lifecycle.mock();
  worker = await startTransferWorker({
    config: new ConfigReader({
      namespaceTransfer: {
        worker: {
          leaseDuration: '20s',
          pollInterval: '500ms',
          progressSampleInterval: '1s',
          outageBudget: '30s',
        },
      },
    }),
    logger: mockServices.logger.mock(),
    scheduler: mockServices.scheduler.mock(),
    lifecycle,
    store,
    registry,
    notices: notices.notices,
    engine: o => runTransfer(tap(o)),
    cancelWatchMs: 250,
  });
  // the backend started: the worker begins claiming
  for (const [hook] of lifecycle.addStartupHook.mock.calls) await hook();
});

afterAll(async () => {
  await worker?.stop();
  await world?.stop();
});

afterEach(() => {
  tap = o => o;
});

/** A request as the workflow stores it, with the plan the engine makes today. */
async function requested(o: {
  claim: string;
  store?: TransferStore;
  intent?: TransferIntent;
  options?: TransferOptions;
}): Promise<Transfer> {
  const intent = o.intent ?? 'clone';
  const options = o.options ?? { verify: 'full' };
  const { plan } = await planTransferRun({
    spec: {
      id: 'request',
      source: { cluster: 'east', namespace: NS, name: o.claim },
      destination: { cluster: 'west', namespace: NS, name: o.claim },
      mode: 'copy',
      intent,
      options,
    },
    source: registry.clients('east').kubeConfig,
    destination: registry.clients('west').kubeConfig,
  });
  expect(plan.refusals).toEqual([]);
  const t = await (o.store ?? store).createTransfer({
    source: {
      cluster: 'east',
      namespace: NS,
      claim: o.claim,
      entityRef: 'component:default/shop',
    },
    destination: {
      cluster: 'west',
      namespace: NS,
      claim: o.claim,
      entityRef: 'component:default/shop-next',
    },
    requestedMode: 'copy',
    intent,
    options,
    plan,
    requester: 'user:default/alice',
  });
  return t;
}

/** The source's owner approves; the worker is told, as the workflow tells it. */
async function approve(t: Transfer): Promise<Transfer> {
  const approved = await store.decide({
    transferId: t.id,
    kind: 'approve',
    ...owner,
  });
  worker.wake();
  return approved;
}

const approvedRequest = async (o: Parameters<typeof requested>[0]) =>
  approve(await requested(o));

const inState = (id: string, ...states: Transfer['state'][]) =>
  eventually(
    async () => {
      const t = await store.get(id);
      return states.includes(t.state) && t;
    },
    `transfer ${id} to be ${states.join(' or ')}`,
    240_000,
  );

const nothingLeft = async (engineId: string, o: { pvcs?: boolean } = {}) => [
  ...(await leftovers(admin.east, NS, engineId, o)),
  ...(await leftovers(admin.west, NS, engineId, o)),
];

it('runs an approved transfer to succeeded: the data verified at the destination, nothing of the engine left', async () => {
  const src = await filledClaim(admin.east, NS, 'orders', {
    files: 60,
    largeBytes: 4 * 1024 * 1024,
    uid: UID,
  });
  await createWorkload(admin.east, NS, 'orders-app', 'orders', UID);
  const expected = checksums(src);
  const t = await approvedRequest({ claim: 'orders', intent: 'move' });
  const done = await inState(t.id, 'succeeded', 'failed');
  expect(done.error).toBeUndefined();
  expect(done).toMatchObject({
    state: 'succeeded',
    chosenMode: 'copy',
    phase: 'Succeeded',
  });
  expect(checksums(await volumeDir(admin.west, NS, 'orders'))).toEqual(
    expected,
  );
  expect(await nothingLeft(t.engineTransferId)).toEqual([]);
  // a move keeps the source application stopped
  expect(await replicasOf(admin.east, NS, 'orders-app')).toBe(0);
  const events = await store.readEvents({ transferId: t.id, limit: 1000 });
  const phases = events
    .filter(e => e.kind === 'phase')
    .map(e => e.payload.phase);
  expect(phases).toEqual(expect.arrayContaining(['Syncing', 'Verifying']));
  expect(phases).not.toContain('RollingBack');
  expect(notices.states.filter(s => s.id === t.id).map(s => s.action)).toEqual([
    'start',
    'succeed',
  ]);
});

it('rolls back a transfer cancelled while it runs: the application back, nothing left', async () => {
  const src = await filledClaim(admin.east, NS, 'carts', {
    files: 40,
    uid: UID,
  });
  await createWorkload(admin.east, NS, 'carts-app', 'carts', UID);
  const before = checksums(src);
  let cancelReachedRun = false;
  let id = '';
  // once the server runs on the destination, a person cancels through another replica's store; the step
  // waits (the engine awaits its checkpoint) until the worker has passed the cancel on to the run
  tap = o => ({
    ...o,
    onCheckpoint: async (c, about) => {
      await o.onCheckpoint?.(c, about);
      if (c.completedSteps.at(-1) !== 'server' || cancelReachedRun) return;
      await new TransferStore(db).decide({
        transferId: id,
        kind: 'cancel',
        ...owner,
      });
      await eventually(
        async () => o.signal?.aborted,
        'the cancel to reach the run',
      );
      cancelReachedRun = true;
    },
  });
  const t = await approvedRequest({ claim: 'carts' });
  id = t.id;
  const done = await inState(t.id, 'cancelled', 'failed', 'succeeded');
  expect(cancelReachedRun).toBe(true);
  expect(done).toMatchObject({ state: 'cancelled' });
  expect(await nothingLeft(t.engineTransferId, { pvcs: true })).toEqual([]);
  expect(await replicasOf(admin.east, NS, 'carts-app')).toBe(1);
  expect(checksums(src)).toEqual(before);
  const phases = (await store.readEvents({ transferId: t.id, limit: 1000 }))
    .filter(e => e.kind === 'phase')
    .map(e => e.payload.phase);
  expect(phases).toContain('RollingBack');
});

it('retries a transfer that failed on an injected fault as a new attempt with its own engine id', async () => {
  const src = await filledClaim(admin.east, NS, 'invoices', {
    files: 30,
    uid: UID,
  });
  const expected = checksums(src);
  // the destination refuses the engine's server pod once
  const fault = west.apiServer.faults.add({
    user: ENGINE,
    verb: 'create',
    resource: 'pods',
    namespace: NS,
    status: 403,
    count: 1,
  });
  try {
    const t = await approvedRequest({ claim: 'invoices' });
    const failed = await inState(t.id, 'failed', 'succeeded');
    expect(fault.hits).toBe(1);
    expect(failed).toMatchObject({
      state: 'failed',
      pastPointOfNoReturn: false,
      error: expect.stringMatching(/forbidden|403/i),
    });
    expect(await nothingLeft(t.engineTransferId, { pvcs: true })).toEqual([]);

    const retried = await store.decide({
      transferId: t.id,
      kind: 'retry',
      ...owner,
    });
    expect(retried).toMatchObject({ state: 'approved', attempt: 2 });
    expect(retried.engineTransferId).not.toBe(t.engineTransferId);
    worker.wake();
    const done = await inState(t.id, 'succeeded', 'failed');
    expect(done.state).toBe('succeeded');
    expect(checksums(await volumeDir(admin.west, NS, 'invoices'))).toEqual(
      expected,
    );
    expect(await nothingLeft(retried.engineTransferId)).toEqual([]);
  } finally {
    fault.remove();
  }
});

it('leaves a transfer whose cluster went away for a resume, not a retry; a cancel then rolls it back through the worker', async () => {
  const src = await filledClaim(admin.east, NS, 'stock', {
    files: 20,
    uid: UID,
  });
  await createWorkload(admin.east, NS, 'stock-app', 'stock', UID);
  const before = checksums(src);
  let outage: OutageHandle | undefined;
  // the source's API server goes away once the application is stopped, for longer than the run's budget
  tap = o => ({
    ...o,
    outageBudgetMs: 3_000,
    onCheckpoint: async (c, about) => {
      await o.onCheckpoint?.(c, about);
      if (c.completedSteps.at(-1) === 'quiesce' && !outage)
        outage = east.apiServer.faults.outage({ durationMs: 15_000 });
    },
  });
  const t = await approvedRequest({ claim: 'stock' });
  const failed = await inState(t.id, 'failed', 'succeeded', 'cancelled');
  tap = o => o;
  expect(outage?.refused).toBeGreaterThan(0);
  expect(failed).toMatchObject({
    state: 'failed',
    pastPointOfNoReturn: false,
    leftForResume: true,
  });
  await outage!.over;
  // nothing was rolled back: the application is still stopped by this transfer
  expect(await replicasOf(admin.east, NS, 'stock-app')).toBe(0);
  // a new attempt would leave that behind: refused, saying what to do instead
  await expect(
    store.decide({ transferId: t.id, kind: 'retry', ...owner }),
  ).rejects.toThrow(/resume it to continue, or cancel it to roll back/);

  const cancelled = await store.decide({
    transferId: t.id,
    kind: 'cancel',
    ...owner,
  });
  expect(cancelled).toMatchObject({
    state: 'approved',
    cancelRequested: true,
    leftForResume: false,
  });
  worker.wake();
  const done = await inState(t.id, 'cancelled', 'failed', 'succeeded');
  expect(done).toMatchObject({ state: 'cancelled', attempt: 1 });
  expect(await replicasOf(admin.east, NS, 'stock-app')).toBe(1);
  expect(checksums(src)).toEqual(before);
  expect(await nothingLeft(t.engineTransferId, { pvcs: true })).toEqual([]);
});

it('asks for approval again when the plan changed before the start, creating nothing', async () => {
  await filledClaim(admin.east, NS, 'reports', { files: 5, uid: UID });
  // requested while nothing used the claim ...
  const t = await requested({ claim: 'reports' });
  expect(t.plan.workloads).toEqual([]);
  // ... an application that uses it appears before the approval
  await createWorkload(admin.east, NS, 'reports-app', 'reports', UID);
  await approve(t);
  const asked = await eventually(
    async () => {
      const events = await store.readEvents({ transferId: t.id, limit: 1000 });
      return events.find(
        e => e.kind === 'state' && e.payload.action === 'ask-again',
      );
    },
    'the worker to ask again',
    240_000,
  );
  const back = await store.get(t.id);
  expect(back).toMatchObject({ state: 'pending-approval', approvedBy: [] });
  // the owners now decide on the fresh plan, which stops the application
  expect(back.plan.workloads).toEqual([
    expect.objectContaining({ kind: 'Deployment', name: 'reports-app' }),
  ]);
  expect(asked.payload.details).toEqual({
    planChanges: expect.arrayContaining([
      expect.stringMatching(/Deployment shop\/reports-app now uses the claim/),
    ]),
  });
  expect(await nothingLeft(t.engineTransferId, { pvcs: true })).toEqual([]);
  expect(notices.states.filter(s => s.id === t.id).map(s => s.action)).toEqual([
    'start',
    'ask-again',
  ]);
});

it('stages a transfer while the application runs, then cuts it over when asked', async () => {
  const src = await filledClaim(admin.east, NS, 'catalog', {
    files: 30,
    uid: UID,
  });
  await createWorkload(admin.east, NS, 'catalog-app', 'catalog', UID);
  const t = await approvedRequest({
    claim: 'catalog',
    options: { verify: 'full', stage: true },
  });
  const staged = await inState(t.id, 'staged', 'failed');
  expect(staged.state).toBe('staged');
  // staged: the application still runs, the data is at the destination, the lease is given back
  expect(await replicasOf(admin.east, NS, 'catalog-app')).toBe(1);
  expect(checksums(await volumeDir(admin.west, NS, 'catalog'))).toEqual(
    checksums(src),
  );
  expect(staged.lease?.holder).toBeUndefined();
  // written while staged: the cut over's final sync brings it
  writeFileSync(`${src}/late.txt`, 'after staging');
  chownSync(`${src}/late.txt`, UID, UID);
  await store.decide({ transferId: t.id, kind: 'cutover', ...owner });
  worker.wake();
  const done = await inState(t.id, 'succeeded', 'failed');
  expect(done.error).toBeUndefined();
  expect(done.state).toBe('succeeded');
  expect(checksums(await volumeDir(admin.west, NS, 'catalog'))).toEqual(
    checksums(src),
  );
  expect(await nothingLeft(t.engineTransferId)).toEqual([]);
  expect(await replicasOf(admin.east, NS, 'catalog-app')).toBe(1);
});

describe('two workers on one PostgreSQL store', () => {
  // under CI a missing PostgreSQL fails here (storeTestDatabases); elsewhere the test is skipped, visibly
  const pg = storeTestDatabases();
  const onPostgres = pg.supports('POSTGRES_15') ? it : it.skip;
  /* eslint-disable jest/no-standalone-expect -- onPostgres is `it` (or it.skip) */

  onPostgres(
    'run each of several approved transfers exactly once, counted from the server pods the destination saw created',
    async () => {
      const first = await pg.init('POSTGRES_15');
      expect(clientOf(first)).toBe('pg');
      await migrateToLatest(first);
      // a second connection pool, as a second backend process has
      const second = knexFactory(first.client.config);
      const stores = [new TransferStore(first), new TransferStore(second)];
      // every server pod of the engine created on the destination, by transfer id (a watch sees each ADDED)
      const serverPods = new Map<string, Set<string>>();
      const watch = await new Watch(admin.west).watch(
        `/api/v1/namespaces/${NS}/pods`,
        { labelSelector: `${LABEL_ROLE}=server` },
        (type: string, pod: V1Pod) => {
          if (type !== 'ADDED') return;
          const id = pod.metadata!.labels![LABEL_TRANSFER_ID];
          serverPods.set(
            id,
            (serverPods.get(id) ?? new Set()).add(pod.metadata!.uid!),
          );
        },
        () => undefined,
      );
      const handles: TransferWorkerHandle[] = [];
      try {
        const ids: Transfer[] = [];
        for (let i = 0; i < 6; i++) {
          const claim = `tiny-${i}`;
          await filledClaim(admin.east, NS, claim, { files: 3, uid: UID });
          const t = await requested({ claim, store: stores[0] });
          ids.push(
            await stores[i % 2].decide({
              transferId: t.id,
              kind: 'approve',
              ...owner,
            }),
          );
        }
        for (const s of stores) {
          const lifecycle = mockServices.lifecycle.mock();
          handles.push(
            await startTransferWorker({
              config: new ConfigReader({
                namespaceTransfer: {
                  worker: {
                    leaseDuration: '20s',
                    pollInterval: '300ms',
                    concurrency: { global: 3, perCluster: 3 },
                  },
                },
              }),
              logger: mockServices.logger.mock(),
              scheduler: mockServices.scheduler.mock(),
              lifecycle,
              store: s,
              registry,
              notices: recordingNotices().notices,
              cancelWatchMs: 500,
            }),
          );
          for (const [hook] of lifecycle.addStartupHook.mock.calls)
            await hook();
        }
        const holders = new Map<string, string>();
        for (const t of ids) {
          const done = await eventually(
            async () => {
              const now = await stores[0].get(t.id);
              return ['succeeded', 'failed'].includes(now.state) && now;
            },
            `transfer ${t.id} to end`,
            240_000,
          );
          expect(done).toMatchObject({ state: 'succeeded', attempt: 1 });
          expect(done.lease?.epoch).toBe(1);
          const started = (
            await stores[0].readEvents({ transferId: t.id, limit: 1000 })
          ).filter(e => e.kind === 'state' && e.payload.action === 'start');
          expect(started).toHaveLength(1);
          holders.set(t.id, String(started[0].payload.worker));
        }
        for (const t of ids)
          expect([
            t.engineTransferId,
            serverPods.get(t.engineTransferId)?.size,
          ]).toEqual([t.engineTransferId, 1]);
        // both replicas took part (claims go oldest first, three at a time each)
        expect(new Set(holders.values()).size).toBe(2);
      } finally {
        await Promise.all(handles.map(h => h.stop()));
        watch.abort();
        await second.destroy();
      }
    },
  );
  /* eslint-enable jest/no-standalone-expect */
});

it('hands over when its heartbeat fails past the lease: another replica takes over and finishes, the first one’s writes are refused', async () => {
  // the worker of the other tests steps aside: this one is between two replicas of its own
  await worker.stop();
  const src = await filledClaim(admin.east, NS, 'audit', {
    files: 30,
    uid: UID,
  });
  const expected = checksums(src);
  const failing = new TransferStore(db);
  let failHeartbeats = false;
  let refusedBeats = 0;
  const heartbeat = failing.runs.heartbeat.bind(failing.runs);
  failing.runs.heartbeat = async (lease, ttl) => {
    if (!failHeartbeats) return heartbeat(lease, ttl);
    refusedBeats++;
    throw new Error('connection terminated unexpectedly');
  };
  const replica = async (s: TransferStore, run: typeof runTransfer) => {
    const lifecycle = mockServices.lifecycle.mock();
    const handle = await startTransferWorker({
      config: new ConfigReader({
        namespaceTransfer: {
          worker: { leaseDuration: '4s', pollInterval: '300ms' },
        },
      }),
      logger: mockServices.logger.mock(),
      scheduler: mockServices.scheduler.mock(),
      lifecycle,
      store: s,
      registry,
      notices: recordingNotices().notices,
      engine: run,
      cancelWatchMs: 250,
    });
    for (const [hook] of lifecycle.addStartupHook.mock.calls) await hook();
    return handle;
  };
  let firstLease: { transferId: string; holder: string; epoch: number } = {
    transferId: '',
    holder: '',
    epoch: 0,
  };
  let handedOverInFlight = false;
  let transferId = '';
  // once the first replica's server runs, its database stops answering heartbeats; the step waits until
  // the replica has given the run up (the engine returns at once on a hand-over)
  const first = await replica(failing, o =>
    runTransfer({
      ...o,
      onCheckpoint: async (c, about) => {
        await o.onCheckpoint?.(c, about);
        if (c.completedSteps.at(-1) !== 'server' || failHeartbeats) return;
        const row = await store.get(transferId);
        firstLease = {
          transferId,
          holder: row.lease!.holder!,
          epoch: row.lease!.epoch,
        };
        failHeartbeats = true;
        await eventually(
          async () => o.handOver?.aborted,
          'the first replica to give the run up',
        );
        handedOverInFlight = true;
      },
    }),
  );
  const t = await approvedRequest({ claim: 'audit' });
  transferId = t.id;
  first.wake();
  await eventually(async () => handedOverInFlight, 'the hand-over', 120_000);
  expect(refusedBeats).toBeGreaterThanOrEqual(1);
  // its database still answers claims: left running, it could take the expired lease back itself (epoch 2)
  // and lose it again, which is right but not what this test is about
  await first.stop();
  const second = await replica(new TransferStore(db), runTransfer);
  try {
    const done = await inState(t.id, 'succeeded', 'failed');
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('succeeded');
    expect(done.lease?.epoch).toBe(2);
    expect(checksums(await volumeDir(admin.west, NS, 'audit'))).toEqual(
      expected,
    );
    expect(await nothingLeft(t.engineTransferId)).toEqual([]);
    // whatever the first replica still tries is refused (fencing)
    await expect(
      store.runs.saveCheckpoint(firstLease, done.checkpoint!, {
        pastPointOfNoReturn: false,
      }),
    ).rejects.toThrow(/no longer leased to .* at epoch 1/);
    const phases = (await store.readEvents({ transferId: t.id, limit: 1000 }))
      .filter(e => e.kind === 'phase')
      .map(e => e.payload.phase);
    expect(phases).not.toContain('RollingBack');
  } finally {
    await first.stop();
    await second.stop();
  }
});
