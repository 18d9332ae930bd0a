/**
 * The nstransfer CLI as a user runs it: a child process (bin/nstransfer) against kube-sim clusters named
 * by the contexts of kube-sim's kubeconfig. Plans, single and batch runs moving real files, JSON output,
 * Ctrl-C mid-copy, detach + status --follow, cleanup, bad usage and --help.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { startClusters, type SimWorld } from 'kube-sim';
import { pollUntil } from '../kube';
import { transferSelector } from '../naming';
import { QUIESCED_BY } from '../quiesce';
import { buildTree, chownTree, diffTrees, scanTree } from '../testing/trees';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  ensureStorageClass,
  volumeDir,
} from '../testing/kubesim';
import type { CliRecord } from './records';

jest.setTimeout(600_000);

const BIN = join(__dirname, '..', '..', 'bin', 'nstransfer');
const APP_UID = 1001;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('nstransfer against kube-sim', () => {
  let world: SimWorld;
  let east: KubeConfig;
  let stateDir: string;
  let srcDir: string;

  const start = (args: string[]) =>
    spawn(process.execPath, [BIN, ...args], {
      env: {
        ...process.env,
        KUBECONFIG: world.kubeconfigPath,
        NSTRANSFER_STATE_DIR: stateDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const finish = (child: ReturnType<typeof start>) =>
    new Promise<CliRun>(resolve => {
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', b => (stdout += b));
      child.stderr!.on('data', b => (stderr += b));
      child.on('close', code => resolve({ code, stdout, stderr }));
    });
  const cli = (...args: string[]) => finish(start(args));
  const records = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map(l => JSON.parse(l) as CliRecord);
  const compare = (a: string, b: string) => {
    const x = scanTree(a);
    const y = scanTree(b);
    for (const m of [x, y])
      for (const k of [...m.keys()])
        if (k.startsWith('lost+found')) m.delete(k);
    return diffTrees(x, y);
  };
  const labelled = async (namespace: string, id: string) => {
    const core = east.makeApiClient(CoreV1Api);
    const labelSelector = transferSelector(id);
    const lists = await Promise.all([
      core.listNamespacedPod({ namespace, labelSelector }),
      core.listNamespacedSecret({ namespace, labelSelector }),
      core.listNamespacedService({ namespace, labelSelector }),
      core.listNamespacedConfigMap({ namespace, labelSelector }),
      core.listNamespacedPersistentVolumeClaim({ namespace, labelSelector }),
    ]);
    return lists.flatMap(l => l.items.map(o => o.metadata!.name!));
  };
  const pvcNames = async (namespace: string) =>
    (
      await east
        .makeApiClient(CoreV1Api)
        .listNamespacedPersistentVolumeClaim({ namespace })
    ).items
      .map(p => p.metadata!.name!)
      .sort();

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'nstransfer-state-'));
    world = await startClusters([{ name: 'east' }, { name: 'west' }]);
    east = world.cluster('east').kubeConfig();
    const west = world.cluster('west').kubeConfig();
    for (const kc of [east, west]) await ensureStorageClass(kc, 'fast');
    for (const ns of ['shop', 'shop2', 'shop3', 'multi', 'multi2'])
      await ensureNamespace(east, ns);
    await ensureNamespace(west, 'shop');
    srcDir = await createBoundPvc(east, 'shop', 'data', 'fast');
    buildTree(srcDir, {
      smallFiles: 300,
      sparseBytes: 32 * 1024 * 1024,
      largeBytes: 64 * 1024 * 1024,
    });
    chownTree(srcDir, APP_UID, APP_UID);
    await createWorkload(east, 'shop', 'web', 'data', APP_UID, 1);
  });

  afterAll(async () => {
    await world?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('--help on every command: examples and exit codes, exit 0', async () => {
    for (const cmd of [
      [],
      ['plan'],
      ['run'],
      ['status'],
      ['cleanup'],
      ['controller'],
    ]) {
      const r = await cli(...cmd, '--help');
      expect([cmd, r.code]).toEqual([cmd, 0]);
      expect(r.stdout).toContain('Examples:');
      expect(r.stdout).toContain('Exit codes:');
    }
  });

  it('bad usage: one-line error, the usage hint, exit 2, nothing created', async () => {
    const before = await pvcNames('shop2');
    const cases: Array<[string[], RegExp]> = [
      [
        ['run', 'shop/data', '--source-context', 'nowhere'],
        /kubeconfig has no context "nowhere"/,
      ],
      [
        [
          'run',
          'shop/missing',
          '--source-context',
          'east',
          '--destination-namespace',
          'shop2',
        ],
        /PVC shop\/missing not found in context "east"/,
      ],
      [
        ['plan', 'shop/missing', '--source-context', 'east'],
        /PVC shop\/missing not found/,
      ],
      [
        [
          'run',
          'shop/data',
          '--source-context',
          'east',
          '--destination-namespace',
          'nope',
        ],
        /destination namespace "nope" not found/,
      ],
      [
        ['run', 'shop/data', '--mode', 'teleport'],
        /argument 'teleport' is invalid/,
      ],
      [['run', 'shop/data', '--frobnicate'], /unknown option '--frobnicate'/],
      [
        ['run', '--all', '--source-context', 'east'],
        /--all needs at least one -n/,
      ],
      [
        ['run', 'shop/data', '--concurrency', '0'],
        /--concurrency <n>' argument '0' is invalid/,
      ],
      [
        ['run', '--all', '-n', 'ghost', '--source-context', 'east'],
        /namespace "ghost" not found/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args);
      expect([args, r.code]).toEqual([args, 2]);
      const lines = r.stderr.trim().split('\n');
      expect(lines[0]).toMatch(message);
      expect(lines[lines.length - 1]).toMatch(/add --help for usage/);
      expect(r.stdout).toBe('');
    }
    expect(await pvcNames('shop2')).toEqual(before);
    const pods = await east.makeApiClient(CoreV1Api).listPodForAllNamespaces({
      labelSelector: 'app.kubernetes.io/managed-by=namespace-transfer',
    });
    expect(pods.items).toEqual([]);
  });

  it('plan: a table, JSON, and exit 1 for a refused plan; nothing created', async () => {
    const table = await cli(
      'plan',
      'shop/data',
      '--source-context',
      'east',
      '--destination-context',
      'west',
    );
    expect(table.code).toBe(0);
    const [header, row] = table.stdout.split('\n');
    expect(header.split(/\s+/)).toEqual([
      'SOURCE',
      'DESTINATION',
      'MODE',
      'INTENT',
      'MOVER',
      'TRANSPORT',
      'ENDPOINT',
      'SIZE',
      'CLASS',
      'EST',
      'DOWNTIME',
      'ALLOWED',
    ]);
    expect(row.split(/\s+/).slice(0, 7)).toEqual([
      'east/shop/data',
      'west/shop/data',
      'copy',
      'move',
      'rsync',
      'stunnel',
      'loadbalancer',
    ]);
    expect(table.stdout).toMatch(/shop\/data: stops Deployment web/);

    const json = await cli(
      'plan',
      'shop/data',
      '--source-context',
      'east',
      '--destination-namespace',
      'shop2',
      '--intent',
      'clone',
      '--output',
      'json',
      '--id',
      'p1',
    );
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({ runId: 'p1', allowed: true });
    expect(doc.plans).toHaveLength(1);
    expect(doc.plans[0]).toMatchObject({
      transferId: 'p1',
      mode: 'copy',
      intent: 'clone',
      endpoint: 'clusterip',
      allowed: true,
      source: { cluster: 'east', namespace: 'shop', name: 'data' },
      destination: {
        cluster: 'east',
        namespace: 'shop2',
        name: 'data',
        exists: false,
      },
      workloads: [{ kind: 'Deployment', name: 'web' }],
    });

    const refused = await cli(
      'plan',
      'shop/data',
      '--source-context',
      'east',
      '--destination-namespace',
      'shop2',
      '--storage-class',
      'gold',
      '--output',
      'json',
    );
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).plans[0].refusals).toEqual([
      expect.objectContaining({ code: 'StorageClassUnknown' }),
    ]);
    expect(await pvcNames('shop2')).toEqual([]);

    // an exposure that could never get an address is refused here, not after a timeout at run time
    const noClass = await cli(
      'plan',
      'shop/data',
      '--source-context',
      'east',
      '--destination-context',
      'west',
      '--endpoint',
      'ingress',
      '--ingress-domain',
      'ingress.west.kube-sim.test',
      '--ingress-class',
      'missing',
    );
    expect(noClass.code).toBe(1);
    expect(noClass.stdout).toMatch(
      /shop\/data: refused: NoEndpoint: ingress requested, but cluster west has no IngressClass "missing" \(its classes are [^)]*nginx/,
    );
  });

  it('run one PVC with --output json: events, a result and a summary; the files arrive', async () => {
    const r = await cli(
      'run',
      'shop/data',
      '--source-context',
      'east',
      '--destination-namespace',
      'shop2',
      '--intent',
      'clone',
      '--output',
      'json',
      '--id',
      'one-1',
    );
    expect([r.code, r.stderr]).toEqual([0, '']);
    const recs = records(r.stdout);
    expect(recs[0]).toMatchObject({
      type: 'start',
      runId: 'one-1',
      transfers: [
        { transfer: 'one-1', pvc: 'shop/data', destination: 'east/shop2/data' },
      ],
    });
    expect(
      recs
        .filter(x => x.type === 'phase')
        .map(x => (x as { phase: string }).phase),
    ).toEqual([
      'Provisioning',
      'Exposing',
      'Staging',
      'Quiescing',
      'Syncing',
      'Verifying',
      'Finalizing',
      'CleaningUp',
      'Succeeded',
    ]);
    const progress = recs.filter(x => x.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatchObject({
      transfer: 'one-1',
      pvc: 'shop/data',
      bytesDone: expect.any(Number),
    });
    expect(recs.some(x => x.type === 'checkpoint')).toBe(false); // internal: state file only
    // the plan's warnings are reported, not only its mode and endpoint
    expect(recs).toContainEqual(
      expect.objectContaining({
        type: 'warning',
        transfer: 'one-1',
        message: 'used bytes unknown: estimates assume a full volume',
      }),
    );
    expect(recs.find(x => x.type === 'result')).toMatchObject({
      ok: true,
      phase: 'Succeeded',
      mode: 'copy',
      verified: { mode: 'full' },
    });
    expect(recs[recs.length - 1]).toMatchObject({
      type: 'summary',
      runId: 'one-1',
      exitCode: 0,
      ok: true,
      succeeded: 1,
      failed: 0,
    });
    expect(compare(srcDir, await volumeDir(east, 'shop2', 'data'))).toEqual([]);
    expect(await labelled('shop', 'one-1')).toEqual([]);
    expect(await labelled('shop2', 'one-1')).toEqual(['data']); // the result itself

    // status reads the same run back from the state directory
    const status = await cli('status', 'one-1', '--output', 'json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      runId: 'one-1',
      state: 'finished',
      summary: { exitCode: 0 },
    });
  });

  it('run --all -n: a batch with one refusal is a partial failure (exit 3), plain lines when not a terminal', async () => {
    for (const name of ['a', 'b']) {
      const dir = await createBoundPvc(east, 'multi', name, 'fast');
      buildTree(dir, { smallFiles: 40, sparseBytes: 1024 * 1024 });
      chownTree(dir, APP_UID, APP_UID);
      await createWorkload(east, 'multi', `app-${name}`, name, APP_UID, 0);
    }
    await createBoundPvc(east, 'multi2', 'b', 'fast'); // b's destination is taken
    const r = await cli(
      'run',
      '--all',
      '-n',
      'multi',
      '--namespace-map',
      'multi=multi2',
      '--source-context',
      'east',
      '--intent',
      'clone',
      '--id',
      'batch-1',
      '--concurrency',
      '2',
    );
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/\[multi\/a\] copy to east\/multi2\/a succeeded/);
    expect(r.stdout).toMatch(/\[multi\/b\] failed: refused: DestinationExists/);
    expect(r.stdout).toMatch(
      /batch-1: failed: 1 succeeded, 1 failed \(exit code 3\)/,
    );
    expect(r.stdout.includes('\u001b[')).toBe(false); // no terminal escapes in a pipe
    expect(
      compare(
        await volumeDir(east, 'multi', 'a'),
        await volumeDir(east, 'multi2', 'a'),
      ),
    ).toEqual([]);
  });

  it('Ctrl-C mid-copy rolls back: exit 130, says so, nothing left, the application back', async () => {
    const child = start([
      'run',
      'shop/data',
      '--source-context',
      'east',
      '--destination-namespace',
      'shop3',
      '--intent',
      'clone',
      '--output',
      'json',
      '--id',
      'cancel-1',
    ]);
    const done = finish(child);
    let seen = '';
    child.stdout!.on('data', b => {
      seen += b;
      if (/"phase":"Staging"/.test(seen) && !child.killed)
        setTimeout(() => child.kill('SIGINT'), 500);
    });
    const r = await done;
    expect([r.code, r.stderr]).toEqual([130, '']);
    const recs = records(r.stdout);
    const phases = recs
      .filter(x => x.type === 'phase')
      .map(x => (x as { phase: string }).phase);
    expect(phases.slice(-2)).toEqual(['RollingBack', 'Cancelled']);
    expect(phases).toContain('Staging');
    const notes = recs
      .filter(x => x.type === 'note')
      .map(x => (x as { message: string }).message);
    expect(notes[0]).toMatch(/SIGINT: cancelling, rolling back/);
    expect(notes).toContain(
      'rolled back: nothing of the transfer is left in either cluster',
    );
    expect(recs[recs.length - 1]).toMatchObject({
      type: 'summary',
      exitCode: 130,
      cancelled: true,
      transfers: [{ phase: 'Cancelled' }],
    });
    expect(await labelled('shop', 'cancel-1')).toEqual([]);
    expect(await labelled('shop3', 'cancel-1')).toEqual([]);
    expect(await pvcNames('shop3')).toEqual([]);
    const web = await pollUntil(
      async () => {
        const d = await east
          .makeApiClient(AppsV1Api)
          .readNamespacedDeployment({ name: 'web', namespace: 'shop' });
        return d.spec?.replicas === 1 ? d : undefined;
      },
      { timeoutMs: 10_000, what: 'web to be scaled back' },
    );
    expect(
      web.metadata?.annotations?.['namespace-transfer.io/quiesced-by'],
    ).toBeUndefined();
  });

  it('--stage-only while the application runs, again, then --cutover from the state file', async () => {
    const args = [
      'run',
      'shop/data',
      '--source-context',
      'east',
      '--destination-namespace',
      'shop2',
      '--destination-name',
      'staged',
      '--intent',
      'clone',
      '--id',
      'stage-1',
      '--output',
      'json',
    ];
    const first = await cli(...args, '--stage-only');
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(records(first.stdout).find(x => x.type === 'result')).toMatchObject({
      ok: true,
      staged: true,
    });
    expect(await pvcNames('shop2')).toContain('staged');
    const web = await east
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    expect(web.spec!.replicas).toBe(1); // staging never stops the application
    const second = await cli(...args, '--stage-only');
    expect(second.code).toBe(0);
    expect(
      records(second.stdout)
        .filter(x => x.type === 'progress')
        .map(x => (x as { run: string }).run),
    ).not.toContain('stage-1');
    const cut = await cli(...args, '--cutover');
    expect([cut.code, cut.stderr]).toEqual([0, '']);
    const recs = records(cut.stdout);
    expect(
      recs
        .filter(x => x.type === 'phase')
        .map(x => (x as { phase: string }).phase),
    ).toEqual([
      'Quiescing',
      'Syncing',
      'Verifying',
      'Finalizing',
      'CleaningUp',
      'Succeeded',
    ]);
    expect(recs[recs.length - 1]).toMatchObject({
      type: 'summary',
      exitCode: 0,
    });
    expect(compare(srcDir, await volumeDir(east, 'shop2', 'staged'))).toEqual(
      [],
    );
    const noState = await cli(
      'run',
      'shop/data',
      '--source-context',
      'east',
      '--destination-namespace',
      'shop3',
      '--cutover',
      '--id',
      'never-staged',
    );
    expect(noState.code).toBe(2);
    expect(noState.stderr).toMatch(/--cutover: no state for "never-staged"/);
    expect(await pvcNames('shop3')).toEqual([]);
  });

  it('run --detach returns at once; status --follow streams it to the end with its exit code', async () => {
    const r = await cli(
      'run',
      'shop/data',
      '--source-context',
      'east',
      '--destination-context',
      'west',
      '--intent',
      'clone',
      '--detach',
      '--id',
      'bg-1',
      '--output',
      'json',
      '--verify',
      'sample',
      '--verify-sample-ratio',
      '0.2',
    );
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info).toMatchObject({
      type: 'detached',
      runId: 'bg-1',
      pid: expect.any(Number),
    });
    const followed = await cli(
      'status',
      '--follow',
      'bg-1',
      '--output',
      'json',
    );
    expect([followed.code, followed.stderr]).toEqual([0, '']);
    const recs = records(followed.stdout);
    expect(recs[0]).toMatchObject({
      type: 'start',
      runId: 'bg-1',
      pid: info.pid,
    });
    expect(recs[recs.length - 1]).toMatchObject({
      type: 'summary',
      exitCode: 0,
      transfers: [{ ok: true, destination: 'west/shop/data' }],
    });
    const list = await cli('status');
    expect(list.stdout).toMatch(/bg-1: finished \(exit code 0\)/);
    // a finished run tells its totals, time, downtime and verification
    const one = await cli('status', 'bg-1');
    expect(one.stdout).toMatch(
      /shop\/data -> west\/shop\/data: Succeeded, copy to west\/shop\/data succeeded, [\d.]+ [KMG]iB in \d+ files, took \d+s, downtime \d+s, verified \(sample: \d+ files\)/,
    );
  });

  it('cleanup deletes what a killed run left (everything labelled with its id) in both clusters', async () => {
    const child = start([
      'run',
      'shop/data',
      '--source-context',
      'east',
      '--destination-namespace',
      'shop3',
      '--intent',
      'clone',
      '--output',
      'json',
      '--id',
      'killed-1',
    ]);
    const done = finish(child);
    let seen = '';
    child.stdout!.on('data', b => {
      seen += b;
      // SIGKILL: no rollback, as if the machine died
      if (/"phase":"Staging"/.test(seen)) child.kill('SIGKILL');
    });
    await done;
    expect((await labelled('shop3', 'killed-1')).length).toBeGreaterThan(0);
    const st = await cli('status', 'killed-1');
    expect(st.stdout).toMatch(/killed-1: lost/);
    const dry = await cli(
      'cleanup',
      'killed-1',
      '--source-context',
      'east',
      '--include-pvcs',
      '--dry-run',
    );
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /would delete east: PersistentVolumeClaim shop3\/data/,
    );
    const r = await cli(
      'cleanup',
      'killed-1',
      '--source-context',
      'east',
      '--include-pvcs',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/deleted \d+ object\(s\) labelled with killed-1/);
    await pollUntil(
      async () =>
        (await labelled('shop3', 'killed-1')).length +
          (await labelled('shop', 'killed-1')).length ===
        0
          ? true
          : undefined,
      {
        timeoutMs: 60_000,
        what: 'cleanup to remove everything',
      },
    );
  });

  it('cleanup after a run killed past quiesce gives back the workload it stopped, and says so', async () => {
    const web = () =>
      east
        .makeApiClient(AppsV1Api)
        .readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    const child = start([
      'run',
      'shop/data',
      '--source-context',
      'east',
      '--destination-namespace',
      'shop3',
      '--destination-name',
      'data-2',
      '--intent',
      'move',
      '--output',
      'json',
      '--id',
      'killed-2',
    ]);
    const done = finish(child);
    let seen = '';
    child.stdout!.on('data', b => {
      seen += b;
      // the machine dies once the application is stopped, before the copy is verified
      if (/"step":"quiesce"/.test(seen)) child.kill('SIGKILL');
    });
    await done;
    const stopped = await web();
    expect(stopped.spec?.replicas).toBe(0);
    expect(stopped.metadata?.annotations?.[QUIESCED_BY]).toBe('killed-2');
    const r = await cli(
      'cleanup',
      'killed-2',
      '--source-context',
      'east',
      '--include-pvcs',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'restored Deployment shop/web (stopped by killed-2)',
    );
    const back = await web();
    expect(back.spec?.replicas).toBe(1);
    expect(back.metadata?.annotations?.[QUIESCED_BY]).toBeUndefined();
  });
});
