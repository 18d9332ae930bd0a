/**
 * What the workflow adds to a transfer: a tiny copy between two kube-sim clusters (a claim of a few small
 * files, no workload) (a) run by the engine's runTransfer called directly, and (b) stored, approved and run
 * by the real worker, timed from the approval to the store's `succeeded` (its finished_at, so polling the
 * store adds nothing). Both runs get the same options (the worker's runOptionsOf of a stored transfer), a
 * fresh claim each, and are checked after the clock stopped: checksums at the destination, nothing of the
 * engine left. Rounds alternate which goes first; the ratio b/a is per round.
 */
import type {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  planTransferRun,
  runTransfer,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { startClusters, type SimCluster } from 'kube-sim';
import {
  ClusterRegistry,
  type ClusterConfig,
} from '../../plugins/namespace-transfer-backend/src/clusters';
import {
  TransferStore,
  type Transfer,
} from '../../plugins/namespace-transfer-backend/src/store';
import { readWorkerConfig } from '../../plugins/namespace-transfer-backend/src/worker/config';
import { runOptionsOf } from '../../plugins/namespace-transfer-backend/src/worker/engine';
import {
  startTransferWorker,
  type TransferWorkerHandle,
} from '../../plugins/namespace-transfer-backend/src/worker/startTransferWorker';
import {
  checksums,
  ensureNamespace,
  ensureStorageClass,
  filledClaim,
  leftovers,
  volumeDir,
} from '../../plugins/namespace-transfer-backend/src/worker/__testUtils__/kubesim';
import { median, type Figure } from '../lib';
import { createDatabase, type BenchDatabase } from './backend';

const ENGINE = 'namespace-transfer-engine';
const NS = 'shop';
const UID = 1001;

function clusterConfig(c: SimCluster): ClusterConfig {
  return {
    name: c.name,
    url: c.server,
    authProvider: 'serviceAccount',
    serviceAccountToken: c
      .userKubeConfig({ username: ENGINE, groups: ['system:masters'] })
      .getCurrentUser()!.token!,
    caData: c.caData,
    skipTLSVerify: false,
  };
}

/** the worker's surroundings in a backend, reduced to what it calls; errors still reach stderr */
const logger: LoggerService = {
  error: (m: string) => process.stderr.write(`worker: ${m}\n`),
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  child: () => logger,
};
const hooks: Array<() => void | Promise<void>> = [];
const lifecycle = {
  addStartupHook: (h: () => void | Promise<void>) => hooks.push(h),
  addShutdownHook: () => undefined,
} as unknown as LifecycleService;
/** the janitor expires and reaps: nothing of either happens in a run that succeeds */
const scheduler = {
  scheduleTask: async () => undefined,
} as unknown as SchedulerService;
const notices = {
  stateChanged: async () => undefined,
  progressed: async () => undefined,
};

const workerConfig = new ConfigReader({
  namespaceTransfer: {
    worker: { pollInterval: '500ms', progressSampleInterval: '1s' },
  },
});

interface Span {
  start: number;
  end?: number;
}

/** Two kube-sim clusters, a store on PostgreSQL and the worker on both, with the engine's calls timed. */
interface CopyWorld {
  east: KubeConfig;
  west: KubeConfig;
  kubeConfig: (cluster: string) => KubeConfig;
  store: TransferStore;
  worker: TransferWorkerHandle;
  /** when the worker's engine call began and returned, by engine id: where the worker's time goes */
  engineSpans: Map<string, Span>;
}

async function prepare(
  world: Awaited<ReturnType<typeof startClusters>>,
  db: BenchDatabase,
): Promise<CopyWorld> {
  const east = world.cluster('east').kubeConfig();
  const west = world.cluster('west').kubeConfig();
  for (const kc of [east, west]) {
    await ensureStorageClass(kc, 'fast');
    await ensureNamespace(kc, NS);
  }
  const registry = new ClusterRegistry([
    clusterConfig(world.cluster('east')),
    clusterConfig(world.cluster('west')),
  ]);
  const kubeConfig = (c: string) => registry.clients(c).kubeConfig;
  const store = new TransferStore(db.knex);
  const engineSpans = new Map<string, Span>();
  const worker = await startTransferWorker({
    config: workerConfig,
    logger,
    scheduler,
    lifecycle,
    store,
    registry,
    notices,
    engineKubeConfig: kubeConfig,
    // runTransfer itself, only timed
    engine: async o => {
      const span: Span = { start: Date.now() };
      engineSpans.set(o.spec.id, span);
      try {
        return await runTransfer(o);
      } finally {
        span.end = Date.now();
      }
    },
  });
  for (const h of hooks) await h();
  return { east, west, kubeConfig, store, worker, engineSpans };
}

/** A fresh claim of a few small files, and its request as the workflow stores it (not yet approved). */
async function requested(w: CopyWorld, claim: string): Promise<Transfer> {
  await filledClaim(w.east, NS, claim, { files: 5, uid: UID });
  const options = { verify: 'full' as const };
  const { plan } = await planTransferRun({
    spec: {
      id: 'request',
      source: { cluster: 'east', namespace: NS, name: claim },
      destination: { cluster: 'west', namespace: NS, name: claim },
      mode: 'copy',
      intent: 'clone',
      options,
    },
    source: w.kubeConfig('east'),
    destination: w.kubeConfig('west'),
  });
  return w.store.createTransfer({
    source: {
      cluster: 'east',
      namespace: NS,
      claim,
      entityRef: 'component:default/shop',
    },
    destination: {
      cluster: 'west',
      namespace: NS,
      claim,
      entityRef: 'component:default/shop-next',
    },
    requestedMode: 'copy',
    intent: 'clone',
    options,
    plan,
    requester: 'user:default/alice',
  });
}

/** The copy is whole at the destination and nothing of the engine is left on either cluster. */
async function checkCopied(w: CopyWorld, t: Transfer): Promise<void> {
  const from = checksums(await volumeDir(w.east, NS, t.source.claim));
  const to = checksums(await volumeDir(w.west, NS, t.destination.claim));
  if (!Object.keys(from).length || JSON.stringify(from) !== JSON.stringify(to))
    throw new Error(`${t.source.claim}: the destination's files differ`);
  const left = [
    ...(await leftovers(w.east, NS, t.engineTransferId)),
    ...(await leftovers(w.west, NS, t.engineTransferId)),
  ];
  if (left.length)
    throw new Error(`${t.source.claim}: the engine left ${left.join(', ')}`);
}

/** (a) runTransfer called directly with the options the worker would give it: its milliseconds. */
async function directRun(w: CopyWorld, claim: string): Promise<number> {
  const t = await requested(w, claim);
  const options = runOptionsOf({
    transfer: t,
    kubeConfig: w.kubeConfig,
    config: readWorkerConfig(workerConfig),
    now: new Date(),
  });
  const t0 = Date.now();
  const r = await runTransfer(options);
  const ms = Date.now() - t0;
  if (r.outcome !== 'succeeded')
    throw new Error(`direct run: ${r.outcome} ${r.error ?? ''}`);
  await checkCopied(w, t);
  return ms;
}

interface WorkerTimes {
  total: number;
  claim: number;
  engine: number;
  end: number;
}

async function ended(w: CopyWorld, id: string): Promise<Transfer> {
  const deadline = Date.now() + 180_000;
  for (let t = await w.store.get(id); ; t = await w.store.get(id)) {
    if (['succeeded', 'failed', 'cancelled'].includes(t.state)) return t;
    if (Date.now() > deadline) throw new Error(`${id} still ${t.state}`);
    await new Promise(r => setTimeout(r, 25));
  }
}

/** (b) stored, approved and run by the worker: approval to the stored finished_at, and its parts. */
async function workerRun(w: CopyWorld, claim: string): Promise<WorkerTimes> {
  const t = await requested(w, claim);
  const t0 = Date.now();
  await w.store.decide({
    transferId: t.id,
    kind: 'approve',
    actor: 'user:default/bob',
    ownership: { sourceOwners: ['group:default/shop'] },
  });
  // as the workflow does after an approval
  w.worker.wake();
  const done = await ended(w, t.id);
  if (done.state !== 'succeeded')
    throw new Error(`worker run: ${done.state} ${done.error ?? ''}`);
  await checkCopied(w, done);
  const span = w.engineSpans.get(done.engineTransferId)!;
  const finished = done.finishedAt!.getTime();
  return {
    total: finished - t0,
    claim: span.start - t0,
    engine: span.end! - span.start,
    end: finished - span.end!,
  };
}

export async function copyFigure(rounds: number): Promise<Figure> {
  const world = await startClusters([{ name: 'east' }, { name: 'west' }]);
  const db = await createDatabase('postgres', 'copy');
  let w: CopyWorld | undefined;
  try {
    w = await prepare(world, db);
    const direct: number[] = [];
    const viaWorker: WorkerTimes[] = [];
    for (let round = 0; round < rounds; round++) {
      // alternate which goes first, so neither always meets a machine the other just warmed
      if (round % 2) viaWorker.push(await workerRun(w, `worker-${round}`));
      direct.push(await directRun(w, `direct-${round}`));
      if (!(round % 2)) viaWorker.push(await workerRun(w, `worker-${round}`));
    }
    const ratios = direct.map((a, i) => viaWorker[i].total / a);
    const m = (k: keyof WorkerTimes) => median(viaWorker.map(v => v[k]));
    process.stdout.write(
      `tiny copy rounds (worker/direct): ${direct.map((a, i) => `${(viaWorker[i].total / 1000).toFixed(2)}/${(a / 1000).toFixed(2)} s`).join(', ')}\n`,
    );
    return {
      figure: 'tiny copy approval->succeeded / direct runTransfer',
      value: median(ratios),
      target: '<=1.15',
      note: `median of ${rounds}: ${ratios.map(r => r.toFixed(3)).join(', ')}; worker: approval to engine ${m('claim')} ms, engine ${m('engine')} ms (direct ${median(direct)} ms), engine end to succeeded ${m('end')} ms`,
    };
  } finally {
    await w?.worker.stop();
    await db.drop();
    await world.stop();
  }
}
