/**
 * Start-up of the nstransfer CLI as adopters run it: the BUILT package (bin/nstransfer.js loading
 * dist/cli.cjs.js, with the common package's dist), not the sources through tsx. `nstransfer --help` and
 * `nstransfer plan --help` go through the real command tree; each is a ratio of wall-clock per spawn to
 * `node -e 0` measured in the same round, the three interleaved so machine load hits them alike.
 *
 * In the monorepo the workspace packages resolve to their TypeScript sources, so the built packages are
 * laid out as installed ones in node_modules/.cache/nstransfer-bench (each package's dist, bin and own
 * node_modules; its other dependencies are found in the root node_modules above). The packages are built
 * first when their dist/ is missing or older than a source file (`--rebuild` builds them anyway).
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { median, report, type Figure } from './lib';

const ROOT = join(__dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SPAWNS_PER_ROUND = Number(process.env.BENCH_SPAWNS ?? 5);
const REBUILD = process.argv.includes('--rebuild');

const PACKAGES = [
  {
    dir: 'plugins/namespace-transfer-common',
    name: '@namespace-transfer/plugin-namespace-transfer-common',
    main: 'dist/index.cjs.js',
  },
  {
    dir: 'plugins/namespace-transfer-node',
    name: '@namespace-transfer/plugin-namespace-transfer-node',
    main: 'dist/index.cjs.js',
  },
];
const INSTALL = join(ROOT, 'node_modules', '.cache', 'nstransfer-bench');

function run(cwd: string, cmd: string, args: string[]): void {
  process.stdout.write(`=== ${cwd}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd: join(ROOT, cwd), stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`'${cmd} ${args.join(' ')}' failed`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile())
      newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs);
  return newest;
}

// a dist older than its sources would measure code that is no longer there
function needsBuild(p: (typeof PACKAGES)[number]): boolean {
  const dist = join(ROOT, p.dir, 'dist');
  return (
    REBUILD ||
    !existsSync(dist) ||
    newestMtime(join(ROOT, p.dir, 'src')) > statSync(dist).mtimeMs
  );
}

// as scripts/pack.mjs: the declarations first (the build rolls dist-types into dist/*.d.ts)
function buildIfStale(): void {
  const stale = PACKAGES.filter(needsBuild);
  if (stale.length === 0) return;
  run('.', 'npx', ['tsc', '-p', 'tsconfig.json']);
  for (const p of stale)
    run(p.dir, 'npx', ['backstage-cli', 'package', 'build']);
}

// copies, not symlinks: node resolves a symlink to its real path, which would find the sources again
function installBuilt(): string {
  rmSync(INSTALL, { recursive: true, force: true });
  for (const p of PACKAGES) {
    const to = join(INSTALL, 'node_modules', p.name);
    mkdirSync(to, { recursive: true });
    for (const part of ['dist', 'bin', 'node_modules']) {
      const from = join(ROOT, p.dir, part);
      if (existsSync(from))
        cpSync(from, join(to, part), { recursive: true, dereference: true });
    }
    writeFileSync(
      join(to, 'package.json'),
      JSON.stringify({ name: p.name, main: p.main }),
    );
  }
  return join(
    INSTALL,
    'node_modules',
    PACKAGES[1].name,
    'bin',
    'nstransfer.js',
  );
}

/** Wall-clock seconds of one spawn, which must succeed (a failing CLI would be fast for nothing). */
function timeSpawn(args: string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return seconds;
}

function main(): void {
  buildIfStale();
  const bin = installBuilt();
  const cases = {
    baseline: ['-e', '0'],
    help: [bin, '--help'],
    planHelp: [bin, 'plan', '--help'],
  };
  // a warm-up spawn: the first one pays for reading the files into the page cache
  timeSpawn(cases.planHelp);
  const rounds: Record<keyof typeof cases, number>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const samples = { baseline: [], help: [], planHelp: [] } as Record<
      keyof typeof cases,
      number[]
    >;
    for (let i = 0; i < SPAWNS_PER_ROUND; i++)
      for (const key of Object.keys(cases) as (keyof typeof cases)[])
        samples[key].push(timeSpawn(cases[key]));
    rounds.push({
      baseline: median(samples.baseline),
      help: median(samples.help),
      planHelp: median(samples.planHelp),
    });
  }
  const ratio = (key: 'help' | 'planHelp') =>
    rounds.map(r => r[key] / r.baseline);
  const note = (key: 'help' | 'planHelp') =>
    `rounds ${ratio(key)
      .map(v => v.toFixed(2))
      .join(', ')}; ms ${rounds
      .map(
        r => `${(r[key] * 1000).toFixed(0)}/${(r.baseline * 1000).toFixed(0)}`,
      )
      .join(', ')} (cli/node -e 0)`;
  const figures: Figure[] = [
    {
      figure: 'help_vs_node',
      value: median(ratio('help')),
      unit: 'x',
      target: '<=4',
      note: note('help'),
    },
    {
      figure: 'plan_help_vs_node',
      value: median(ratio('planHelp')),
      unit: 'x',
      target: '<=4',
      note: note('planHelp'),
    },
  ];
  report('cli', figures);
}

main();
