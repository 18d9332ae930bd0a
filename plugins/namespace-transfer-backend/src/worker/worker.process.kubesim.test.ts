/**
 * The worker in real backend processes (issue 16): Backstage's backend-defaults running the real plugin
 * with an in-memory catalog and allow-all permissions (workerBackend.ts), on one PostgreSQL, against two
 * kube-sim clusters. A backend killed (SIGKILL) while its mover copies, then another started, finishes the
 * transfer from its checkpoint, adopting the pods that were there; a backend stopped gracefully (SIGTERM)
 * mid-copy hands over without rolling back; a backend frozen (SIGSTOP) past its lease loses the transfer
 * to the other replica and, thawed, writes nothing more of it; two backends run each of 20 approved
 * transfers exactly once, counted from the server pods the clusters saw created.
 */
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { CoreV1Api, Watch, type V1Pod } from '@kubernetes/client-node';
import {
  LABEL_ROLE,
  LABEL_TRANSFER_ID,
  planTransferRun,
  transferSelector,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import { startClusters, type SimCluster, type SimWorld } from 'kube-sim';
import { TransferStore, type Transfer } from '../store';
import { storeTestDatabases } from '../store/__testUtils__/databases';
import {
  BackendProcesses,
  pgConnection,
  type BackendProcess,
} from './__testUtils__/backendProcess';
import { eventually } from './__testUtils__/fakeEngine';
import {
  checksums,
  createWorkload,
  ensureNamespace,
  ensureStorageClass,
  filledClaim,
  leftovers,
  volumeDir,
} from './__testUtils__/kubesim';

jest.setTimeout(600_000);

const ENGINE = 'namespace-transfer-engine';
const NS = 'shop';
const UID = 1001;
/** big enough that the mover is still copying when it is frozen (checked: the test fails if not) */
const LARGE_BYTES = 192 * 1024 * 1024;
const TINY_TRANSFERS = 20;
// under CI a missing PostgreSQL fails the file (storeTestDatabases); elsewhere its tests are skipped, visibly
const postgres = storeTestDatabases().supports('POSTGRES_15');
const onPostgres = postgres ? it : it.skip;
/* eslint-disable jest/no-standalone-expect -- onPostgres is `it` (or it.skip) */
const PREFIX = `nst_worker_proc_${randomBytes(4).toString('hex')}_`;
const DATABASE = `${PREFIX}namespace-transfer`;

let world: SimWorld;
let east: SimCluster;
let west: SimCluster;
let db: Knex | undefined;
let store: TransferStore;
let backends: BackendProcesses;

beforeAll(async () => {
  if (!postgres) return;
  world = await startClusters([{ name: 'east' }, { name: 'west' }]);
  east = world.cluster('east');
  west = world.cluster('west');
  for (const c of [east, west]) {
    await ensureStorageClass(c.kubeConfig(), 'fast');
    await ensureNamespace(c.kubeConfig(), NS);
  }
  backends = new BackendProcesses({
    prefix: PREFIX,
    clusters: [east, west],
    engineUser: ENGINE,
    worker: {
      leaseDuration: '6s',
      pollInterval: '500ms',
      progressSampleInterval: '1s',
      // the 20 tiny transfers run three at a time per backend; the others are one at a time anyway
      concurrency: { global: 3, perCluster: 3 },
    },
  });
});

afterAll(async () => {
  backends?.killAll();
  await db?.destroy();
  if (postgres) {
    const admin = knexFactory({
      client: 'pg',
      connection: { ...pgConnection(), database: 'postgres' },
    });
    await admin
      .raw(`drop database if exists "${DATABASE}" with (force)`)
      .catch(() => undefined);
    await admin.destroy();
  }
  await world?.stop();
});

/** The store the backends keep, opened once the first one has created and migrated it. */
function openStore(): TransferStore {
  db ??= knexFactory({
    client: 'pg',
    connection: { ...pgConnection(), database: DATABASE },
  });
  store ??= new TransferStore(db);
  return store;
}

/** A request as the workflow stores it, with the plan the engine makes today. */
async function requested(claim: string): Promise<Transfer> {
  const spec = {
    id: 'request',
    source: { cluster: 'east', namespace: NS, name: claim },
    destination: { cluster: 'west', namespace: NS, name: claim },
    mode: 'copy' as const,
    intent: 'clone' as const,
    options: { verify: 'full' as const },
  };
  const { plan } = await planTransferRun({
    spec,
    source: east.kubeConfig(),
    destination: west.kubeConfig(),
  });
  return store.createTransfer({
    source: { ...spec.source, claim, entityRef: 'component:default/shop' },
    destination: {
      ...spec.destination,
      claim,
      entityRef: 'component:default/shop-next',
    },
    requestedMode: 'copy',
    intent: 'clone',
    options: spec.options,
    plan,
    requester: 'user:default/alice',
  });
}

/** The source's owner approves (through the store: these tests are about the worker, not the routes). */
const approve = (t: Transfer) =>
  store.decide({
    transferId: t.id,
    kind: 'approve',
    actor: 'user:default/bob',
    ownership: {},
  });

const approvedRequest = async (claim: string) =>
  approve(await requested(claim));

/** Pods of a role created for the transfer on a cluster, by name, as a set of uids (a watch). */
async function podsCreated(
  c: SimCluster,
  engineId: string,
  role: 'server' | 'client',
) {
  const created = new Map<string, Set<string>>();
  const watch = await new Watch(c.kubeConfig()).watch(
    `/api/v1/namespaces/${NS}/pods`,
    { labelSelector: transferSelector(engineId, role) },
    (type: string, pod: V1Pod) => {
      if (type !== 'ADDED') return;
      const name = pod.metadata!.name!;
      created.set(
        name,
        (created.get(name) ?? new Set()).add(pod.metadata!.uid!),
      );
    },
    () => undefined,
  );
  return { created, stop: () => watch.abort() };
}

/** Every server pod of the engine created on any of the clusters, by engine transfer id, as uids. */
async function serverPodsByTransfer(clusters: SimCluster[]) {
  const created = new Map<string, Set<string>>();
  const watches = await Promise.all(
    clusters.map(c =>
      new Watch(c.kubeConfig()).watch(
        '/api/v1/pods',
        { labelSelector: `${LABEL_ROLE}=server` },
        (type: string, pod: V1Pod) => {
          if (type !== 'ADDED') return;
          const id = pod.metadata!.labels![LABEL_TRANSFER_ID];
          created.set(
            id,
            (created.get(id) ?? new Set()).add(pod.metadata!.uid!),
          );
        },
        () => undefined,
      ),
    ),
  );
  return { created, stop: () => watches.forEach(w => w.abort()) };
}

/**
 * Waits until the stored log says the staging sync started and its mover pod runs, then freezes the
 * mover (SIGSTOP) so the copy is caught in flight whatever the machine's speed. Returns the pod's name.
 */
async function moverCaughtInFlight(t: Transfer): Promise<string> {
  const core = east.kubeConfig().makeApiClient(CoreV1Api);
  return eventually(
    async () => {
      const events = await store.readEvents({ transferId: t.id, limit: 1000 });
      if (
        !events.some(e => e.kind === 'phase' && e.payload.phase === 'Staging')
      )
        return undefined;
      const pods = await core.listNamespacedPod({
        namespace: NS,
        labelSelector: transferSelector(t.engineTransferId, 'client'),
      });
      const running = pods.items.find(p => p.status?.phase === 'Running');
      if (!running) return undefined;
      const name = running.metadata!.name!;
      await east.kubelet.killPod(NS, name, {
        container: 'rsync',
        signal: 'SIGSTOP',
      });
      const after = await core.readNamespacedPod({ namespace: NS, name });
      // the freeze must have caught the sync before its end, or this test shows nothing
      if (after.status?.phase !== 'Running')
        throw new Error(`the mover ${name} ended before it could be frozen`);
      return name;
    },
    'the staging sync to run',
    180_000,
  );
}

const resumeMover = (pod: string) =>
  east.kubelet.killPod(NS, pod, { container: 'rsync', signal: 'SIGCONT' });

const endOf = (id: string) =>
  eventually(
    async () => {
      const t = await store.get(id);
      return ['succeeded', 'failed', 'cancelled'].includes(t.state) && t;
    },
    `transfer ${id} to end`,
    300_000,
  );

const nothingLeft = async (engineId: string) => [
  ...(await leftovers(east.kubeConfig(), NS, engineId)),
  ...(await leftovers(west.kubeConfig(), NS, engineId)),
];

const phasesOf = async (id: string) =>
  (await store.readEvents({ transferId: id, limit: 1000 }))
    .filter(e => e.kind === 'phase')
    .map(e => e.payload.phase);

/** A claim of real files used by a running application: the copy stages while it runs. */
async function busyClaim(name: string) {
  const src = await filledClaim(east.kubeConfig(), NS, name, {
    files: 200,
    largeBytes: LARGE_BYTES,
    uid: UID,
  });
  await createWorkload(east.kubeConfig(), NS, `${name}-app`, name, UID);
  return checksums(src);
}

onPostgres(
  'a backend killed while its mover copies: the next backend finishes from the checkpoint, adopting the pods',
  async () => {
    const expected = await busyClaim('ledger');
    const first = await backends.start('first');
    openStore();
    const t = await approvedRequest('ledger');
    const servers = await podsCreated(west, t.engineTransferId, 'server');
    const clients = await podsCreated(east, t.engineTransferId, 'client');
    try {
      const mover = await moverCaughtInFlight(t);
      first.proc.kill('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const crashed = await store.get(t.id);
      expect(crashed).toMatchObject({ state: 'running', lease: { epoch: 1 } });
      expect(crashed.checkpoint?.completedSteps).toContain('server');
      await resumeMover(mover);

      await backends.start('second');
      const done = await endOf(t.id);
      expect(done.error).toBeUndefined();
      expect(done).toMatchObject({ state: 'succeeded', attempt: 1 });
      expect(done.lease?.epoch).toBe(2);
      expect(
        checksums(await volumeDir(west.kubeConfig(), NS, 'ledger')),
      ).toEqual(expected);
      expect(await nothingLeft(t.engineTransferId)).toEqual([]);
      // the resumed run re-attached to the server and the staging mover instead of making them again
      expect([...servers.created.values()].map(s => s.size)).toEqual([1]);
      expect(clients.created.get(mover)?.size).toBe(1);
      const events = await store.readEvents({ transferId: t.id, limit: 1000 });
      expect(
        events.some(
          e =>
            e.kind === 'warning' &&
            /^(taken over by|the lease of)/.test(String(e.payload.message)),
        ),
      ).toBe(true);
      expect(await phasesOf(t.id)).not.toContain('RollingBack');
    } finally {
      servers.stop();
      clients.stop();
    }
  },
);

onPostgres(
  'a backend stopped gracefully mid-copy hands over without rolling back; the next one finishes',
  async () => {
    const [running] = backends.alive;
    const expected = await busyClaim('journal');
    const t = await approvedRequest('journal');
    const mover = await moverCaughtInFlight(t);
    running.proc.kill('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    const handedOver = await store.get(t.id);
    expect(handedOver.state).toBe('running');
    expect(handedOver.lease?.holder).toBeUndefined();
    const events = await store.readEvents({ transferId: t.id, limit: 1000 });
    expect(events.at(-1)?.payload.message).toMatch(
      /^handed over by .*: the backend is stopping$/,
    );
    expect(await phasesOf(t.id)).not.toContain('RollingBack');
    // nothing was undone: the destination's server and claim are there, the mover too
    expect(
      (
        await leftovers(west.kubeConfig(), NS, t.engineTransferId, {
          pvcs: true,
        })
      ).length,
    ).toBeGreaterThan(0);
    await resumeMover(mover);

    await backends.start('third');
    const done = await endOf(t.id);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('succeeded');
    expect(
      checksums(await volumeDir(west.kubeConfig(), NS, 'journal')),
    ).toEqual(expected);
    expect(await nothingLeft(t.engineTransferId)).toEqual([]);
  },
);

onPostgres(
  'a backend frozen past its lease mid-copy: the other takes the transfer over at a higher epoch, the first one’s writes are refused, it completes once',
  async () => {
    await backends.start('fourth');
    expect(backends.alive).toHaveLength(2);
    const expected = await busyClaim('stock');
    const t = await approvedRequest('stock');
    const servers = await podsCreated(west, t.engineTransferId, 'server');
    const clients = await podsCreated(east, t.engineTransferId, 'client');
    let frozen: BackendProcess | undefined;
    try {
      const mover = await moverCaughtInFlight(t);
      const claimed = await store.get(t.id);
      expect(claimed.lease?.epoch).toBe(1);
      const firstLease = {
        transferId: t.id,
        holder: claimed.lease!.holder!,
        epoch: claimed.lease!.epoch,
      };
      const first = backends.holding(firstLease.holder);
      const second = backends.alive.find(b => b !== first)!;
      // no heartbeat, no write, no look at the clusters: a process that stops answering mid-copy
      first.proc.kill('SIGSTOP');
      frozen = first;
      await eventually(async () => first.stopped(), 'the first to stop');
      const takenOver = await eventually(
        async () => {
          const now = await store.get(t.id);
          return now.lease?.holder?.startsWith(second.holderPrefix) && now;
        },
        'the other backend to take the transfer over',
        120_000,
      );
      expect(takenOver).toMatchObject({
        state: 'running',
        lease: { epoch: 2 },
      });
      first.proc.kill('SIGCONT');
      frozen = undefined;
      // thawed with the copy still in flight: its run finds the lease gone and stops without writing
      // (by its own heartbeat's clock, by reading the row, or by a write the store refused)
      expect(await first.logged(`gave transfer ${t.id} up`)).toMatch(
        /up: (the heartbeat got no answer|transfer .* is running, held by .* at epoch 2|.*no longer leased to)/,
      );
      await resumeMover(mover);

      const done = await endOf(t.id);
      expect(done.error).toBeUndefined();
      expect(done).toMatchObject({ state: 'succeeded', attempt: 1 });
      expect(done.lease).toMatchObject({ epoch: 2 });
      expect(
        checksums(await volumeDir(west.kubeConfig(), NS, 'stock')),
      ).toEqual(expected);
      expect(await nothingLeft(t.engineTransferId)).toEqual([]);
      // one server and one mover: the second adopted what the first had made, the first made nothing more
      expect([...servers.created.values()].map(s => s.size)).toEqual([1]);
      expect(clients.created.get(mover)?.size).toBe(1);
      const messages = (
        await store.readEvents({ transferId: t.id, limit: 1000 })
      ).map(e => String(e.payload.message ?? ''));
      expect(
        messages.filter(m =>
          m.startsWith(`taken over by ${second.holderPrefix}`),
        ),
      ).toHaveLength(1);
      // the first one's hand-over, its last write, did not land
      expect(
        messages.filter(m => m.includes(`by ${firstLease.holder}`)),
      ).toEqual([]);
      expect(await phasesOf(t.id)).not.toContain('RollingBack');
      // and whatever it might still send under its lease is refused (fencing)
      await expect(
        store.runs.saveCheckpoint(firstLease, done.checkpoint!, {
          pastPointOfNoReturn: false,
        }),
      ).rejects.toThrow(/no longer leased to .* at epoch 1/);
      expect(first.alive()).toBe(true);
    } finally {
      frozen?.proc.kill('SIGCONT');
      servers.stop();
      clients.stop();
    }
  },
);

onPostgres(
  `two backends on one PostgreSQL run each of ${TINY_TRANSFERS} approved transfers exactly once, counted from the server pods the clusters saw created`,
  async () => {
    const running = backends.alive;
    expect(running).toHaveLength(2);
    const claims = Array.from(
      { length: TINY_TRANSFERS },
      (_, i) => `tiny-${i}`,
    );
    const sources = await Promise.all(
      claims.map(c =>
        filledClaim(east.kubeConfig(), NS, c, { files: 2, uid: UID }),
      ),
    );
    const expected = sources.map(checksums);
    const requests = await Promise.all(claims.map(requested));
    // watched from before the approvals: every server pod either backend creates is seen ADDED
    const servers = await serverPodsByTransfer([east, west]);
    try {
      const approved = await Promise.all(requests.map(approve));
      const done = await Promise.all(approved.map(t => endOf(t.id)));
      const ranOn = new Set<string>();
      for (const [i, t] of done.entries()) {
        expect([t.id, t.error]).toEqual([t.id, undefined]);
        expect(t).toMatchObject({ state: 'succeeded', attempt: 1 });
        expect(t.lease?.epoch).toBe(1);
        const started = (
          await store.readEvents({ transferId: t.id, limit: 1000 })
        ).filter(e => e.kind === 'state' && e.payload.action === 'start');
        expect(started).toHaveLength(1);
        ranOn.add(backends.holding(String(started[0].payload.worker)).name);
        expect(
          checksums(await volumeDir(west.kubeConfig(), NS, claims[i])),
        ).toEqual(expected[i]);
        expect(await nothingLeft(t.engineTransferId)).toEqual([]);
      }
      // one server pod per transfer, and none for anything else
      expect(
        Object.fromEntries(
          [...servers.created].map(([id, uids]) => [id, uids.size]),
        ),
      ).toEqual(Object.fromEntries(done.map(t => [t.engineTransferId, 1])));
      // both took part (each runs at most three at a time)
      expect([...ranOn].sort()).toEqual(running.map(b => b.name).sort());
    } finally {
      servers.stop();
    }
  },
);
