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
import { startTransferWorker } from '../../plugins/namespace-transfer-backend/src/worker/startTransferWorker';
import {
  checksums,
  ensureNamespace,
  ensureStorageClass,
  filledClaim,
  leftovers,
  volumeDir,
} from '../../plugins/namespace-transfer-backend/src/worker/__testUtils__/kubesim';
import { median, type Figure } from '../lib';
import { createDatabase } from './backend';

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

export async function copyFigure(rounds: number): Promise<Figure> {
  const world = await startClusters([{ name: 'east' }, { name: 'west' }]);
  const db = await createDatabase('postgres', 'copy');
  let stopWorker = async () => undefined as void;
  try {
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
    /** when the worker's engine call began and returned, by engine id: where the worker's time goes */
    const engineSpan = new Map<string, { start: number; end?: number }>();
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
        const span: { start: number; end?: number } = { start: Date.now() };
        engineSpan.set(o.spec.id, span);
        try {
          return await runTransfer(o);
        } finally {
          span.end = Date.now();
        }
      },
    });
    stopWorker = () => worker.stop();
    for (const h of hooks) await h();

    /** a fresh claim of a few small files, and its request as the workflow stores it */
    const requested = async (claim: string): Promise<Transfer> => {
      await filledClaim(east, NS, claim, { files: 5, uid: UID });
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
        source: kubeConfig('east'),
        destination: kubeConfig('west'),
      });
      return store.createTransfer({
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
        options: spec.options,
        plan,
        requester: 'user:default/alice',
      });
    };

    const checked = async (t: Transfer) => {
      const from = checksums(await volumeDir(east, NS, t.source.claim));
      const to = checksums(await volumeDir(west, NS, t.destination.claim));
      if (
        JSON.stringify(from) !== JSON.stringify(to) ||
        !Object.keys(from).length
      )
        throw new Error(
          `${t.source.claim}: the destination's files differ from the source's`,
        );
      const left = [
        ...(await leftovers(east, NS, t.engineTransferId)),
        ...(await leftovers(west, NS, t.engineTransferId)),
      ];
      if (left.length)
        throw new Error(
          `${t.source.claim}: the engine left ${left.join(', ')}`,
        );
    };

    const direct = async (round: number): Promise<number> => {
      const t = await requested(`direct-${round}`);
      const options = runOptionsOf({
        transfer: t,
        kubeConfig,
        config: readWorkerConfig(workerConfig),
        now: new Date(),
      });
      const t0 = Date.now();
      const r = await runTransfer(options);
      const ms = Date.now() - t0;
      if (r.outcome !== 'succeeded')
        throw new Error(`direct run: ${r.outcome} ${r.error ?? ''}`);
      await checked(t);
      directMs.push(ms);
      return ms;
    };

    const viaWorker = async (round: number): Promise<number> => {
      const t = await requested(`worker-${round}`);
      const t0 = Date.now();
      await store.decide({
        transferId: t.id,
        kind: 'approve',
        actor: 'user:default/bob',
        ownership: { sourceOwners: ['group:default/shop'] },
      });
      // as the workflow does after an approval
      worker.wake();
      let done = await store.get(t.id);
      for (
        const deadline = Date.now() + 180_000;
        !['succeeded', 'failed', 'cancelled'].includes(done.state);
      ) {
        if (Date.now() > deadline)
          throw new Error(`${t.id} still ${done.state}`);
        await new Promise(r => setTimeout(r, 25));
        done = await store.get(t.id);
      }
      if (done.state !== 'succeeded')
        throw new Error(`worker run: ${done.state} ${done.error ?? ''}`);
      await checked(done);
      const span = engineSpan.get(done.engineTransferId)!;
      parts.claim.push(span.start - t0);
      parts.engine.push(span.end! - span.start);
      parts.end.push(done.finishedAt!.getTime() - span.end!);
      return done.finishedAt!.getTime() - t0;
    };
    const parts = {
      claim: [] as number[],
      engine: [] as number[],
      end: [] as number[],
    };
    const directMs: number[] = [];

    const ratios: number[] = [];
    const times: string[] = [];
    for (let round = 0; round < rounds; round++) {
      let a = 0;
      let b = 0;
      if (round % 2) {
        b = await viaWorker(round);
        a = await direct(round);
      } else {
        a = await direct(round);
        b = await viaWorker(round);
      }
      ratios.push(b / a);
      times.push(`${(b / 1000).toFixed(2)}/${(a / 1000).toFixed(2)} s`);
    }
    process.stdout.write(
      `tiny copy rounds (worker/direct): ${times.join(', ')}\n`,
    );
    return {
      figure: 'tiny copy approval->succeeded / direct runTransfer',
      value: median(ratios),
      target: '<=1.15',
      note: `median of ${rounds}: ${ratios.map(r => r.toFixed(3)).join(', ')}; worker: approval to engine ${median(parts.claim)} ms, engine ${median(parts.engine)} ms (direct ${median(directMs)} ms), engine end to succeeded ${median(parts.end)} ms`,
    };
  } finally {
    await stopWorker();
    await db.drop();
    await world.stop();
  }
}
