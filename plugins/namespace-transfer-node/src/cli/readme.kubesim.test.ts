/**
 * The root README's nstransfer walk-through, read from the README itself and run line by line as a reader
 * pastes it after `npm run demo`: against the demo's two clusters (east, and west OpenShift-flavoured),
 * started and seeded as `npm run sim` does, in a directory laid out like the repository's root (the world
 * in `<root>/.sim`, so the README's `$PWD/.sim/...` names it). `npx nstransfer` is the package's bin.
 * Every line must exit 0; the controller runs until it says it is watching and is then stopped with
 * Ctrl-C. At the end every transfer of the walk-through's runs holds its source's files.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import {
  DEMO_CLUSTERS,
  seedDemoCluster,
  startClusters,
  type SimWorld,
} from 'kube-sim';
import { pollUntil } from '../kube';
import { diffTrees, scanTree } from '../testing/trees';
import { volumeDir } from '../testing/kubesim';
import { listRuns, readRecords, viewRun } from './state';

jest.setTimeout(300_000);

const REPO = join(__dirname, '..', '..', '..', '..');
const BIN = join(__dirname, '..', '..', 'bin', 'nstransfer');
const HEADING = /^## .*`nstransfer`/;

/** The lines of the first fenced block under the README's nstransfer heading (blank lines left out). */
function walkThrough(): string[] {
  const lines = readFileSync(join(REPO, 'README.md'), 'utf8').split('\n');
  const heading = lines.findIndex(l => HEADING.test(l));
  if (heading < 0) throw new Error('README.md has no "## ... `nstransfer`"');
  const open = lines.findIndex((l, i) => i > heading && /^```/.test(l));
  const close = lines.findIndex((l, i) => i > open && /^```\s*$/.test(l));
  const next = lines.findIndex((l, i) => i > heading && /^## /.test(l));
  if (open < 0 || close < 0 || (next >= 0 && open > next))
    throw new Error('no fenced block under the nstransfer heading');
  return lines.slice(open + 1, close).filter(l => l.trim() !== '');
}

const LINES = walkThrough();
const NPX = /^npx nstransfer(\s|$)/;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

describe('the README nstransfer walk-through on the demo clusters', () => {
  let root: string;
  let world: SimWorld;
  /** the environment the README's lines built so far (its export lines), as the reader's shell has it */
  let env: NodeJS.ProcessEnv;

  /** one line through bash, as a shell runs it; `npx nstransfer` is the package's bin */
  const shell = (command: string) =>
    spawn('bash', ['-c', command], {
      cwd: root,
      env: { ...env, PWD: root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const finish = (child: ReturnType<typeof shell>) =>
    new Promise<Run>(resolve => {
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', b => (stdout += b));
      child.stderr!.on('data', b => (stderr += b));
      child.on('close', (code, signal) =>
        resolve({ code, signal, stdout, stderr }),
      );
    });
  const command = (line: string) =>
    `exec ${line.replace(NPX, `'${process.execPath}' '${BIN}'$1`)}`;
  const runIds = () =>
    LINES.filter(l => NPX.test(l) && /\srun\s/.test(` ${l} `)).flatMap(l => {
      const m = /\s--id\s+([a-z0-9-]+)/.exec(l);
      return m ? [m[1]] : [];
    });

  /** where the CLI kept the runs: the state directory the README exports, else its default (~ is root) */
  const runsDir = () => env.NSTRANSFER_STATE_DIR ?? join(root, '.nstransfer');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'nstransfer-readme-'));
    // as `npm run sim` (and so `npm run demo`) starts and seeds them
    world = await startClusters(
      DEMO_CLUSTERS.map(c => ({ ...c })),
      { dir: join(root, '.sim'), keep: false },
    );
    for (const cluster of world.clusters)
      await seedDemoCluster(cluster, { deployDir: join(REPO, 'deploy') });
    // The demo is up once the backend is, long after the applications wrote their sample data: wait for
    // that data (a workload's `.seeded`), as a reader of the demo's "ready" line would find it.
    for (const cluster of world.clusters) {
      const kc = cluster.kubeConfig();
      const apps = kc.makeApiClient(AppsV1Api);
      await pollUntil(
        async () => {
          const [d, s] = await Promise.all([
            apps.listDeploymentForAllNamespaces(),
            apps.listStatefulSetForAllNamespaces(),
          ]);
          return [...d.items, ...s.items].every(
            w => (w.status?.readyReplicas ?? 0) >= (w.spec?.replicas ?? 1),
          )
            ? true
            : undefined;
        },
        { timeoutMs: 120_000, what: `the ${cluster.name} workloads` },
      );
      const claims = await kc
        .makeApiClient(CoreV1Api)
        .listPersistentVolumeClaimForAllNamespaces();
      for (const c of claims.items) {
        const dir = await volumeDir(
          kc,
          c.metadata!.namespace!,
          c.metadata!.name!,
        );
        await pollUntil(
          async () => (existsSync(join(dir, '.seeded')) ? true : undefined),
          { timeoutMs: 60_000, what: `${c.metadata!.name} to be seeded` },
        );
      }
    }
    // a shell without this project's settings: the README's lines must set what they need
    env = { ...process.env, HOME: root };
    delete env.KUBECONFIG;
    delete env.NSTRANSFER_STATE_DIR;
  });

  afterAll(async () => {
    // a detached run still going (a failed line before its status --follow) ends with its clusters
    const dir = env && runsDir();
    for (const id of dir ? runIds() : []) {
      const start = readRecords(dir, id)?.find(r => r.type === 'start');
      if (start?.type === 'start')
        try {
          process.kill(start.pid, 'SIGTERM');
        } catch {
          // gone already
        }
    }
    await world?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('reads a walk-through of export and npx nstransfer lines from README.md', () => {
    expect(LINES.length).toBeGreaterThan(3);
    for (const line of LINES)
      expect([line, /^export\s/.test(line) || NPX.test(line)]).toEqual([
        line,
        true,
      ]);
    // one command per line: each line's exit code is its command's
    for (const line of LINES.filter(l => NPX.test(l)))
      expect([line, /[;&|`$<>]/.test(line.replace(/\s#.*$/, ''))]).toEqual([
        line,
        false,
      ]);
    expect(runIds().length).toBeGreaterThan(0);
  });

  LINES.forEach(line => {
    if (/^export\s/.test(line)) {
      it(`${line}`, async () => {
        const child = shell(
          `${line}\nexec '${process.execPath}' -e 'process.stdout.write(JSON.stringify(process.env))'`,
        );
        const r = await finish(child);
        expect({ code: r.code, stderr: r.stderr }).toEqual({
          code: 0,
          stderr: '',
        });
        env = JSON.parse(r.stdout);
        expect(realpathSync(env.KUBECONFIG!)).toBe(
          realpathSync(world.kubeconfigPath),
        );
      });
    } else if (/\scontroller(\s|$)/.test(line)) {
      it(`${line} (stopped with Ctrl-C once it is watching)`, async () => {
        const child = shell(command(line));
        const done = finish(child);
        let seen = '';
        let ctrlC: NodeJS.Timeout | undefined;
        const limit = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.stdout!.on('data', b => {
          seen += b;
          // Ctrl-C once (a second would not wait for the controller to stop), a moment after the line as
          // a person's would come: the CLI prints it just before it listens for SIGINT, and a signal in
          // between ends the process with SIGINT's default action
          if (/watching NamespaceTransferRequests/.test(seen) && !ctrlC)
            ctrlC = setTimeout(() => child.kill('SIGINT'), 1000);
        });
        const r = await done;
        clearTimeout(limit);
        clearTimeout(ctrlC);
        expect({
          code: r.code,
          signal: r.signal,
          output: r.stdout + r.stderr,
        }).toMatchObject({ code: 0, signal: null });
        expect(r.stdout).toMatch(/watching NamespaceTransferRequests/);
        expect(r.stdout).toMatch(/ stopped\n$/);
      });
    } else {
      it(`${line}`, async () => {
        const r = await finish(shell(command(line)));
        expect({ code: r.code, output: r.stdout + r.stderr }).toMatchObject({
          code: 0,
        });
      });
    }
  });

  it("the state directory (what status lists) holds the walk-through's runs and no other, finished", () => {
    const dir = runsDir();
    const views = listRuns(dir).map(r =>
      viewRun(r.runId, readRecords(dir, r.runId) ?? []),
    );
    expect(views.map(v => v.runId).sort()).toEqual(runIds().sort());
    expect(views.map(v => v.state)).toEqual(views.map(() => 'finished'));
  });

  it("every transfer of the walk-through's runs holds its source's files", async () => {
    const dir = runsDir();
    let compared = 0;
    for (const id of runIds()) {
      const records = readRecords(dir, id) ?? [];
      const summary = records.find(r => r.type === 'summary');
      expect([id, summary]).toEqual([
        id,
        expect.objectContaining({ exitCode: 0, ok: true }),
      ]);
      const plans = records.flatMap(r => (r.type === 'plan' ? [r.plan] : []));
      expect(plans.length).toBeGreaterThan(0);
      for (const plan of plans) {
        const { source: s, destination: d } = plan;
        const from = scanTree(
          await volumeDir(
            world.cluster(s.cluster).kubeConfig(),
            s.namespace,
            s.name,
          ),
        );
        const to = scanTree(
          await volumeDir(
            world.cluster(d.cluster).kubeConfig(),
            d.namespace,
            d.name,
          ),
        );
        for (const m of [from, to])
          for (const k of [...m.keys()])
            if (k.startsWith('lost+found')) m.delete(k);
        expect(from.size).toBeGreaterThan(3);
        // modes aside: on the OpenShift-flavoured west the files are made group-writable for its UID range
        expect([
          `${s.cluster}/${s.namespace}/${s.name} -> ${d.cluster}/${d.namespace}/${d.name}`,
          diffTrees(from, to, { modes: false }),
        ]).toEqual([
          `${s.cluster}/${s.namespace}/${s.name} -> ${d.cluster}/${d.namespace}/${d.name}`,
          [],
        ]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(runIds().length);
  });
});
