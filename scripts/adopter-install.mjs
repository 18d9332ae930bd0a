#!/usr/bin/env node
// An adopter's install, tested (issue 14; a step of `npm test`): packs the four plugin packages, writes a
// minimal Backstage project outside the workspace (its own package.json pinned to the root lock's
// versions, no workspace links), installs the tarballs with `npm install --prefer-offline` from the npm
// cache that `npm ci` filled, type-checks its app (new frontend system, and a legacy entity page) and its
// backend (backend.add(import(...))), starts that backend on SQLite beside a kube-sim cluster and checks
// the migrations, the plugin's routes and an entity's volumes; then runs the packed nstransfer against the
// workspace's. Prints what it ran and how long each part took; exits 1 on the first failure, keeping the
// project's directory (and the backend's log) for a look.
//
// Options: --reuse-packs  take dist-packs/ as it is (after `npm run pack`) instead of packing again
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from './lib/prereqs.mjs';
import {
  fileExists,
  httpOk,
  start,
  stopAll,
  waitFor,
} from './lib/processes.mjs';
import {
  writeAdopterConfig,
  writeAdopterProject,
} from './lib/adopter/project.mjs';
import { betterSqlitePrebuild } from './lib/adopter/prebuild.mjs';
import {
  checkCli,
  checkMigrations,
  checkRoutes,
} from './lib/adopter/checks.mjs';

const reusePacks = process.argv.includes('--reuse-packs');
const packsDir = join(repoRoot, 'dist-packs');
const started = Date.now();
const timings = [];

function log(line) {
  process.stdout.write(`[adopter] ${line}\n`);
}

// The adopter's commands must not inherit this run's npm settings (npm test exports npm_config_* and
// npm_package_* of the workspace) nor its NODE_OPTIONS.
function cleanEnv(extra = {}) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^npm_/i.test(k) && k !== 'NODE_OPTIONS' && k !== 'INIT_CWD',
    ),
  );
  return { ...env, ...extra };
}

async function timed(name, fn) {
  const t = Date.now();
  log(`--- ${name}`);
  const result = await fn();
  timings.push([name, (Date.now() - t) / 1000]);
  return result;
}

function run(cwd, cmd, args, env = cleanEnv()) {
  log(`$ (cd ${cwd} && ${cmd} ${args.join(' ')})`);
  const r = spawnSync(cmd, args, {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) {
    throw new Error(
      `'${cmd} ${args.join(' ')}' exited ${r.status ?? r.signal} in ${cwd}\n${`${r.stdout}\n${r.stderr}`.slice(-4000)}`,
    );
  }
  return r;
}

// npm pack's prepack rewrites each plugin's package.json in the checkout (entry points at dist) until its
// postpack: two packs at once can leave one rewritten. Runs of this script take turns; a lock left by a
// process that is gone is taken over.
async function withPackLock(fn) {
  const lock = join(repoRoot, 'node_modules/.cache/nstransfer-pack.lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(lock, 'utf8'));
      let alive = true;
      try {
        process.kill(holder, 0);
      } catch {
        alive = false;
      }
      if (!alive) rmSync(lock, { force: true });
      else if (Date.now() > deadline)
        throw new Error(`${lock}: process ${holder} still packs`);
      else await new Promise(r => setTimeout(r, 2000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function main(dir) {
  if (!reusePacks)
    await timed('pack the four plugins (npm run pack)', () =>
      withPackLock(() =>
        run(
          repoRoot,
          process.execPath,
          [join(repoRoot, 'scripts/pack.mjs')],
          process.env,
        ),
      ),
    );

  // one cluster, seeded with the demo data (payments-db's claim on east); it starts while npm installs
  const simDir = join(dir, 'sim');
  const simReady = join(simDir, 'ready');
  writeFileSync(join(dir, 'clusters.yaml'), '- name: east\n');
  const simLog = openSync(join(dir, 'kube-sim.log'), 'a');
  log(
    `starting kube-sim (cluster east) in ${simDir}, log ${join(dir, 'kube-sim.log')}`,
  );
  start(
    'kube-sim',
    'npx',
    [
      'tsx',
      'packages/kube-sim/src/cli/sim.ts',
      '--dir',
      simDir,
      '--config',
      join(dir, 'clusters.yaml'),
      '--ready-file',
      simReady,
    ],
    { cwd: repoRoot, stdio: ['ignore', simLog, simLog], env: cleanEnv() },
  );

  const { manifest, lockedPackages } = await timed('write the project', () =>
    writeAdopterProject(dir, packsDir),
  );
  log(`package.json: ${JSON.stringify(manifest.dependencies)}`);
  log(`package-lock.json: ${lockedPackages} packages of the root lock's tree`);

  await timed('npm install --prefer-offline', () => {
    const prebuild = betterSqlitePrebuild(
      join(dir, 'prebuilds'),
      manifest.dependencies['better-sqlite3'],
    );
    const r = run(
      dir,
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--foreground-scripts',
        '--loglevel=http',
      ],
      cleanEnv(prebuild),
    );
    const out = `${r.stdout}\n${r.stderr}`;
    writeFileSync(join(dir, 'npm-install.log'), out);
    // the tarballs npm took from its cache, and every request it made to the registry: none, when the
    // lock holds the tree and `npm ci` filled the cache
    const cached = out
      .split('\n')
      .filter(l => /npm http cache .*\(cache hit\)/.test(l));
    const fetched = out.split('\n').filter(l => /npm http fetch/.test(l));
    log(
      `${cached.length} tarballs from the npm cache, ${fetched.length} registry requests`,
    );
    if (fetched.length)
      throw new Error(
        `the install went to the registry (npm ci at the root refills the cache):\n${fetched.slice(0, 20).join('\n')}`,
      );
    // a compile leaves node-gyp's Makefile beside the binary; the prebuild is the binary alone
    const compiled = existsSync(
      join(dir, 'node_modules/better-sqlite3/build/Makefile'),
    );
    log(
      `better-sqlite3: ${compiled ? 'compiled by node-gyp' : 'the local prebuild, unpacked by prebuild-install'}`,
    );
  });

  await timed('type-check the app (new and legacy frontend system)', () =>
    run(dir, process.execPath, [
      'node_modules/typescript/bin/tsc',
      '-p',
      'tsconfig.json',
    ]),
  );
  await timed('type-check and compile the backend', () =>
    run(dir, process.execPath, [
      'node_modules/typescript/bin/tsc',
      '-p',
      'tsconfig.backend.json',
    ]),
  );

  await timed('wait for kube-sim', () =>
    waitFor('kube-sim', fileExists(simReady), 300_000),
  );

  const port = await freePort();
  const token = randomBytes(24).toString('base64url');
  const { env } = writeAdopterConfig(dir, { port, token });
  const baseUrl = `http://127.0.0.1:${port}`;
  const backendLog = join(dir, 'backend.log');
  let backendExit;
  await timed('start the backend (SQLite)', async () => {
    const out = openSync(backendLog, 'a');
    const args = [
      'dist/backend/index.js',
      '--config',
      'app-config.yaml',
      '--config',
      join(simDir, 'app-config.kube-sim.yaml'),
    ];
    log(`$ (cd ${dir} && node ${args.join(' ')}), log ${backendLog}`);
    start('backend', process.execPath, args, {
      cwd: dir,
      stdio: ['ignore', out, out],
      env: cleanEnv(env),
      onExit: code => {
        backendExit = code;
      },
    });
    await waitFor(
      'the backend',
      async () => {
        if (backendExit !== undefined)
          throw new Error(`the backend exited (${backendExit})`);
        return httpOk(`${baseUrl}/.backstage/health/v1/readiness`)();
      },
      240_000,
    ).catch(e => {
      throw new Error(
        `${e.message}\n${readFileSync(backendLog, 'utf8').slice(-4000)}`,
      );
    });
  });

  await timed('check migrations and routes', async () => {
    log(checkMigrations(dir));
    for (const note of await checkRoutes(baseUrl, token)) log(note);
  });
  await timed('nstransfer from the tarball', () => {
    const cliEnv = cleanEnv({
      KUBECONFIG: join(simDir, 'kubeconfig'),
      NSTRANSFER_STATE_DIR: join(dir, 'nstransfer'),
    });
    for (const note of checkCli(dir, cliEnv)) log(note);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'nstransfer-adopter-'));
log(`project directory ${dir}`);
let failed = false;
try {
  await main(dir);
} catch (e) {
  failed = true;
  process.stderr.write(
    `[adopter] FAILED: ${e.stack ?? e}\n[adopter] kept ${dir} for a look\n`,
  );
}
await stopAll('SIGINT');
for (const [name, seconds] of timings)
  log(`${seconds.toFixed(0).padStart(4)} s  ${name}`);
log(
  `${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
if (!failed) rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
