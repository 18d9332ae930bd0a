/**
 * The copy engine through its full path (two kube-sim clusters, rsync over stunnel, a passthrough Route on
 * the destination), against baselines measured in the same run on the same tree:
 * - throughput of the mover's sync as a ratio to a plain local `rsync -a` and to `cp -a`;
 * - the fixed overhead of a transfer of a tiny PVC, also as a multiple of one kube-sim pod start;
 * - the downtime (quiesce start to verified) of stage + cutover with 1% of the files changed, as a ratio
 *   to the downtime of a single-phase copy of the same tree.
 * Throughput is measured in rounds, each engine sync between two local `rsync -a` runs of the same tree,
 * and the median of the rounds' ratios is reported: this machine's speed drifts by a factor of two within
 * minutes, and only back-to-back runs see the same machine.
 * `BENCH_COPY_MIB` sizes the tree (default 1024); `BENCH_COPY_ROUNDS` the rounds (default 5);
 * `BENCH_COPY_VERIFY` (default `sample`) is the verify
 * mode of both downtime runs: a full checksum pass reads the whole tree inside the downtime whatever was
 * staged, so it is reported separately rather than hidden in the ratio.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type {
  TransferSpec,
  VerifyMode,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters } from 'kube-sim';
import {
  planAndCopy,
  runCopy,
  type CopyEvent,
  type CopyResult,
} from '../plugins/namespace-transfer-node/src/copy';
import { gatherFacts } from '../plugins/namespace-transfer-node/src/gather';
import { planTransfer } from '../plugins/namespace-transfer-node/src/plan';
import { pollUntil } from '../plugins/namespace-transfer-node/src/kube';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  ensureStorageClass,
  restrictedPod,
} from '../plugins/namespace-transfer-node/src/testing/kubesim';
import {
  buildTree,
  chownTree,
  writeRandomFile,
} from '../plugins/namespace-transfer-node/src/testing/trees';
import { report, type Figure } from './lib';

const MIB = 1024 * 1024;
const TOTAL_MIB = Number(process.env.BENCH_COPY_MIB ?? 1024);
const VERIFY = (process.env.BENCH_COPY_VERIFY ?? 'sample') as VerifyMode;
const ROUNDS = Math.max(1, Number(process.env.BENCH_COPY_ROUNDS ?? 5));
const APP_UID = 1001;
/** `BENCH_COPY_TRACE=1`: print every engine event with its time, to see where a run spends it */
const TRACE = process.env.BENCH_COPY_TRACE === '1';

function tracer(label: string): ((e: CopyEvent) => void) | undefined {
  if (!TRACE) return undefined;
  const t0 = performance.now();
  let lastProgress = 0;
  return e => {
    const t = ((performance.now() - t0) / 1000).toFixed(2);
    if (e.type !== 'progress')
      process.stdout.write(`  [${label} +${t}s] ${JSON.stringify(e)}\n`);
    else if (performance.now() - lastProgress > 1000) {
      lastProgress = performance.now();
      process.stdout.write(
        `  [${label} +${t}s] ${e.run} ${JSON.stringify(e.sample)}\n`,
      );
    }
  };
}

/**
 * Half the bytes in 64 MiB files, 30% in 1 MiB files, 20% in 16 KiB files (about 13,000 at 1 GiB), plus
 * the fidelity tree (links, sparse file, odd names). Returns the paths of the small files.
 */
function buildMixedTree(root: string, totalMib: number): string[] {
  buildTree(root, { smallFiles: 200, sparseBytes: 16 * MIB });
  const large = Math.max(1, Math.round((totalMib * 0.5) / 64));
  mkdirSync(join(root, 'large'));
  for (let i = 0; i < large; i++)
    writeRandomFile(
      join(root, 'large', `blob-${i}.bin`),
      Math.min(64, totalMib * 0.5) * MIB,
    );
  mkdirSync(join(root, 'medium'));
  for (let i = 0; i < Math.round(totalMib * 0.3); i++)
    writeRandomFile(join(root, 'medium', `m-${i}.dat`), MIB);
  const small: string[] = [];
  const count = Math.round((totalMib * 0.2 * MIB) / (16 * 1024));
  for (let i = 0; i < count; i++) {
    const dir = join(root, 'many', `d${i % 100}`);
    if (i < 100) mkdirSync(dir, { recursive: true });
    const p = join(dir, `s-${i}.txt`);
    writeRandomFile(p, 16 * 1024);
    small.push(p);
  }
  return small;
}

function du(path: string): number {
  return Number(
    execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0],
  );
}

/**
 * Every measured run starts with no dirty pages: what an earlier run wrote would otherwise be written
 * back to disk during this one, on the same two cores, and the order of the runs would decide the ratios.
 */
function settle(): void {
  execFileSync('sync');
}

function timed(cmd: string, args: string[]): number {
  settle();
  const t0 = performance.now();
  execFileSync(cmd, args, { stdio: 'inherit' });
  return (performance.now() - t0) / 1000;
}

async function podStartSeconds(
  kc: KubeConfig,
  namespace: string,
): Promise<number> {
  const core = kc.makeApiClient(CoreV1Api);
  const t0 = performance.now();
  await core.createNamespacedPod({
    namespace,
    body: restrictedPod('pod-start-probe', ['sleep', '30'], { uid: APP_UID }),
  });
  await pollUntil(
    async () =>
      (await core.readNamespacedPod({ name: 'pod-start-probe', namespace }))
        .status?.phase === 'Running'
        ? true
        : undefined,
    { timeoutMs: 60_000, intervalMs: 20, what: 'the probe pod to run' },
  );
  const s = (performance.now() - t0) / 1000;
  await core.deleteNamespacedPod({
    name: 'pod-start-probe',
    namespace,
    gracePeriodSeconds: 0,
  });
  return s;
}

/** Until the application's Deployment has its replica ready (kube-sim runs in this process). */
async function appRunning(kc: KubeConfig): Promise<void> {
  const apps = kc.makeApiClient(AppsV1Api);
  await pollUntil(
    async () =>
      (await apps.readNamespacedDeployment({ name: 'web', namespace: 'app' }))
        .status?.readyReplicas === 1
        ? true
        : undefined,
    { timeoutMs: 120_000, intervalMs: 50, what: 'the application to run' },
  );
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const syncSeconds = (r: CopyResult, run: string) =>
  (r.syncs.find(s => s.run === run)?.durationMs ?? NaN) / 1000;
/** the final sync's pod also compares: say so rather than print a time of 0 for the comparison */
const verifyNote = (r: CopyResult) => {
  const v = r.syncs.find(s => s.run === 'verify');
  return v?.within
    ? `verify in the ${v.within} pod`
    : `verify ${syncSeconds(r, 'verify').toFixed(2)} s`;
};

async function main() {
  const world = await startClusters([
    { name: 'east' },
    { name: 'west', openshift: true },
  ]);
  const scratch = mkdtempSync(join(tmpdir(), 'bench-copy-'));
  try {
    const east = world.cluster('east').kubeConfig();
    const west = world.cluster('west').kubeConfig();
    for (const kc of [east, west]) await ensureStorageClass(kc, 'fast');
    await ensureNamespace(east, 'app');
    for (const ns of ['full', 'staged', 'tiny'])
      await ensureNamespace(west, ns);

    const size = `${Math.ceil((TOTAL_MIB * 1.2) / 1024) + 1}Gi`;
    const srcDir = await createBoundPvc(east, 'app', 'data', 'fast', size);
    const small = buildMixedTree(srcDir, TOTAL_MIB);
    chownTree(srcDir, APP_UID, APP_UID);
    await createWorkload(east, 'app', 'web', 'data', APP_UID, 1);
    // the baselines block this process (and the simulator in it): the application must be up before,
    // or its start (a volume ownership walk over the whole tree) would land inside the first downtime
    await appRunning(east);
    const bytes = du(srcDir);
    process.stdout.write(
      `tree: ${(bytes / MIB).toFixed(0)} MiB, ${small.length} small files, in ${srcDir}\n`,
    );

    // baselines on the same host and filesystem (tmpdir) as kube-sim's volumes, caches as warm as for the
    // engine; they block this process (and the simulator in it), so nothing of the engine overlaps them
    const baseline = () => {
      const r = timed('rsync', ['-a', `${srcDir}/`, join(scratch, 'rsync')]);
      const c = timed('cp', ['-a', srcDir, join(scratch, 'cp')]);
      rmSync(join(scratch, 'rsync'), { recursive: true, force: true });
      rmSync(join(scratch, 'cp'), { recursive: true, force: true });
      return { r, c };
    };

    const spec = (
      id: string,
      namespace: string,
      options: TransferSpec['options'],
    ): TransferSpec => ({
      id,
      source: { cluster: 'east', namespace: 'app', name: 'data' },
      destination: { cluster: 'west', namespace, name: 'data' },
      mode: 'copy',
      intent: 'clone',
      options: {
        endpoint: 'route',
        transport: 'stunnel',
        mover: 'rsync',
        ...options,
      },
    });

    /**
     * runCopy's options for a transfer planned once, up front: a re-plan after staging would see the
     * transfer's own destination PVC as a collision
     */
    const plannedCopy = async (s: TransferSpec, label: string) => {
      const facts = await gatherFacts({
        spec: s,
        source: east,
        destination: west,
      });
      return {
        spec: s,
        plan: planTransfer(facts),
        source: east,
        destination: west,
        sourcePodSpecs: facts.sourceWorkloads.flatMap(w =>
          w.podSpec ? [w.podSpec] : [],
        ),
        onEvent: tracer(label),
      };
    };

    /** the first sync of a transfer into a new namespace: the whole tree, the engine's pod start and totals included */
    const engineSync = async (namespace: string): Promise<number> => {
      await ensureNamespace(west, namespace);
      const base = await plannedCopy(
        spec(`bench-${namespace}`, namespace, { stage: true }),
        namespace,
      );
      await appRunning(east);
      settle();
      const r = await runCopy({ ...base, until: 'staged' });
      return syncSeconds(r, 'stage-1');
    };

    // throughput: baseline, engine, baseline, engine, ..., baseline; each engine run against the mean
    // of the baselines either side of it
    const baselines = [baseline()];
    const engine: number[] = [];
    for (let i = 1; i <= ROUNDS; i++) {
      engine.push(await engineSync(`round-${i}`));
      baselines.push(baseline());
    }
    const around = (i: number, k: 'r' | 'c') =>
      (baselines[i][k] + baselines[i + 1][k]) / 2;
    const rsyncRatios = engine.map((e, i) => around(i, 'r') / e);
    const cpRatios = engine.map((e, i) => around(i, 'c') / e);
    process.stdout.write(
      `throughput rounds: engine ${engine.map(e => e.toFixed(2)).join(', ')} s; rsync -a ${baselines.map(b => b.r.toFixed(2)).join(', ')} s; cp -a ${baselines.map(b => b.c.toFixed(2)).join(', ')} s\n`,
    );

    // single phase: the whole tree moves inside the downtime
    settle();
    const t0 = performance.now();
    const full = await planAndCopy({
      spec: spec('bench-full', 'full', { stage: false, verify: VERIFY }),
      source: east,
      destination: west,
      onEvent: tracer('full'),
    });
    const fullWallS = (performance.now() - t0) / 1000;
    const finalS = syncSeconds(full, 'final');
    process.stdout.write(
      `single phase: final pod ${finalS.toFixed(2)} s (${verifyNote(full)}), downtime ${(full.downtimeMs / 1000).toFixed(2)} s, wall ${fullWallS.toFixed(2)} s\n`,
    );

    // stage while the app runs (the clone gave it back), change 1% of the files, then cut over
    await appRunning(east);
    const base = await plannedCopy(
      spec('bench-staged', 'staged', { stage: true, verify: VERIFY }),
      'staged',
    );
    settle();
    const staged = await runCopy({ ...base, until: 'staged' });
    const changed = small.filter((_, i) => i % 100 === 0);
    for (const p of changed) writeFileSync(p, `changed while staged ${p}\n`);
    chownTree(srcDir, APP_UID, APP_UID);
    settle();
    const cutover = await runCopy({ ...base, checkpoint: staged.checkpoint });
    process.stdout.write(
      `stage + cutover: stage ${syncSeconds(staged, 'stage-1').toFixed(2)} s, final ${syncSeconds(cutover, 'final').toFixed(2)} s (${cutover.syncs.find(s => s.run === 'final')?.result.filesTransferred} files), ${verifyNote(cutover)}, downtime ${(cutover.downtimeMs / 1000).toFixed(2)} s\n`,
    );

    // fixed overhead: a PVC with one small file, same path
    const podS = await podStartSeconds(west, 'tiny');
    const tinyDir = await createBoundPvc(east, 'app', 'tiny', 'fast', '1Mi');
    writeFileSync(join(tinyDir, 'hello.txt'), 'hello\n');
    chownTree(tinyDir, APP_UID, APP_UID);
    const t1 = performance.now();
    await planAndCopy({
      spec: {
        ...spec('bench-tiny', 'tiny', { stage: false, verify: 'full' }),
        source: { cluster: 'east', namespace: 'app', name: 'tiny' },
      },
      source: east,
      destination: west,
      onEvent: tracer('tiny'),
    });
    const tinyS = (performance.now() - t1) / 1000;

    const mibps = (s: number) => bytes / MIB / s;
    const rsyncS = median(baselines.map(b => b.r));
    const figures: Figure[] = [
      {
        figure: 'engine sync throughput / local rsync -a',
        value: median(rsyncRatios),
        target: '>=0.8',
        note: `median of ${ROUNDS}: ${rsyncRatios.map(r => r.toFixed(2)).join(', ')}; ${mibps(median(engine)).toFixed(0)} vs ${mibps(rsyncS).toFixed(0)} MiB/s`,
      },
      {
        figure: 'engine sync throughput / local cp -a',
        value: median(cpRatios),
        note: `median of ${ROUNDS}; cp -a ${mibps(median(baselines.map(b => b.c))).toFixed(0)} MiB/s`,
      },
      {
        figure: 'engine end-to-end throughput / local rsync -a',
        value: rsyncS / fullWallS,
        note: `plan to cleanup, verify=${VERIFY}`,
      },
      {
        figure: 'fixed overhead, tiny PVC',
        value: tinyS,
        unit: 's',
        note: 'plan, provision, route, secrets, two pods, sync, verify, cleanup',
      },
      {
        figure: 'fixed overhead / kube-sim pod start',
        value: tinyS / podS,
        note: `pod start ${podS.toFixed(2)} s`,
      },
      {
        figure: 'downtime stage+cutover (1% changed) / single phase',
        value: cutover.downtimeMs / full.downtimeMs,
        target: '<=0.1',
        note: `${(cutover.downtimeMs / 1000).toFixed(2)} vs ${(full.downtimeMs / 1000).toFixed(2)} s, verify=${VERIFY}`,
      },
    ];
    report(
      `copy (${TOTAL_MIB} MiB mixed tree, ${small.length} small files)`,
      figures,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await world.stop();
  }
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
