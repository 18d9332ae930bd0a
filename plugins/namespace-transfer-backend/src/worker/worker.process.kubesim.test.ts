/**
 * The worker in real backend processes (Backstage's backend-defaults, the worker wired as plugin.ts wires
 * it, on PostgreSQL) against two kube-sim clusters: a backend killed (SIGKILL) while its mover copies, then
 * another started, finishes the transfer from its checkpoint, adopting the pods that were there; a
 * backend stopped gracefully (SIGTERM) mid-copy hands over without rolling back, and the next one finishes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { CoreV1Api, Watch, type V1Pod } from '@kubernetes/client-node';
import {
  planTransferRun,
  transferSelector,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import { startClusters, type SimCluster, type SimWorld } from 'kube-sim';
import { TransferStore, type Transfer } from '../store';
import {
  POSTGRES_URL_VARIABLE,
  storeTestDatabases,
} from '../store/__testUtils__/databases';
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
const SCRIPT = join(__dirname, '__testUtils__', 'workerBackend.ts');
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
const backends: Backend[] = [];

interface Backend {
  name: string;
  proc: ChildProcess;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function pgConnection() {
  const url = new URL(process.env[POSTGRES_URL_VARIABLE]!);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

function clusterEntry(c: SimCluster) {
  return {
    name: c.name,
    url: c.server,
    authProvider: 'serviceAccount',
    serviceAccountToken: c
      .userKubeConfig({ username: ENGINE, groups: ['system:masters'] })
      .getCurrentUser()!.token!,
    caData: c.caData,
  };
}

/** Starts a backend process and waits until its worker runs. */
async function startBackend(name: string): Promise<Backend> {
  const port = 20000 + Math.floor(Math.random() * 10000);
  const configFile = join(tmpdir(), `${PREFIX}${name}.yaml`);
  // JSON is YAML: Backstage's config loader reads it as the app-config it is
  writeFileSync(
    configFile,
    JSON.stringify({
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { port, host: '127.0.0.1' },
        database: { client: 'pg', prefix: PREFIX, connection: pgConnection() },
      },
      namespaceTransfer: {
        worker: {
          leaseDuration: '6s',
          pollInterval: '500ms',
          progressSampleInterval: '1s',
        },
      },
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [clusterEntry(east), clusterEntry(west)],
          },
        ],
      },
    }),
  );
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', SCRIPT, '--config', configFile],
    { cwd: join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>(resolve => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const started = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (chunk.toString().includes('WORKER-BACKEND-STARTED')) resolve();
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    void exited.then(e =>
      reject(
        new Error(
          `backend ${name} exited (${JSON.stringify(e)}) before its worker started:\n${output.join('')}`,
        ),
      ),
    );
  });
  const backend = { name, proc, output, exited };
  backends.push(backend);
  await Promise.race([
    started,
    new Promise((_, reject) =>
      setTimeout(
        () => reject(new Error(`backend ${name} did not start in 180 s`)),
        180_000,
      ).unref(),
    ),
  ]);
  return backend;
}

beforeAll(async () => {
  if (!postgres) return;
  world = await startClusters([{ name: 'east' }, { name: 'west' }]);
  east = world.cluster('east');
  west = world.cluster('west');
  for (const c of [east, west]) {
    await ensureStorageClass(c.kubeConfig(), 'fast');
    await ensureNamespace(c.kubeConfig(), NS);
  }
});

afterAll(async () => {
  for (const b of backends)
    if (b.proc.exitCode === null && b.proc.signalCode === null)
      b.proc.kill('SIGKILL');
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

async function approvedRequest(claim: string): Promise<Transfer> {
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
  const t = await store.createTransfer({
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
  return store.decide({
    transferId: t.id,
    kind: 'approve',
    actor: 'user:default/bob',
    ownership: {},
  });
}

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

onPostgres(
  'a backend killed while its mover copies: the next backend finishes from the checkpoint, adopting the pods',
  async () => {
    const src = await filledClaim(east.kubeConfig(), NS, 'ledger', {
      files: 200,
      largeBytes: 192 * 1024 * 1024,
      uid: UID,
    });
    await createWorkload(east.kubeConfig(), NS, 'ledger-app', 'ledger', UID);
    const expected = checksums(src);
    const first = await startBackend('first');
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

      await startBackend('second');
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
      expect(
        events.filter(e => e.kind === 'phase').map(e => e.payload.phase),
      ).not.toContain('RollingBack');
    } finally {
      servers.stop();
      clients.stop();
    }
  },
);

onPostgres(
  'a backend stopped gracefully mid-copy hands over without rolling back; the next one finishes',
  async () => {
    const running = backends.find(
      b => b.proc.exitCode === null && b.proc.signalCode === null,
    )!;
    const src = await filledClaim(east.kubeConfig(), NS, 'journal', {
      files: 200,
      largeBytes: 192 * 1024 * 1024,
      uid: UID,
    });
    await createWorkload(east.kubeConfig(), NS, 'journal-app', 'journal', UID);
    const expected = checksums(src);
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
    expect(
      events.filter(e => e.kind === 'phase').map(e => e.payload.phase),
    ).not.toContain('RollingBack');
    // nothing was undone: the destination's server and claim are there, the mover too
    expect(
      (
        await leftovers(west.kubeConfig(), NS, t.engineTransferId, {
          pvcs: true,
        })
      ).length,
    ).toBeGreaterThan(0);
    await resumeMover(mover);

    await startBackend('third');
    const done = await endOf(t.id);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('succeeded');
    expect(
      checksums(await volumeDir(west.kubeConfig(), NS, 'journal')),
    ).toEqual(expected);
    expect(await nothingLeft(t.engineTransferId)).toEqual([]);
  },
);
