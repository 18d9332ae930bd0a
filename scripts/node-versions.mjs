#!/usr/bin/env node
// The Node versions adopters run (issue 14; a step of `npm test`): on Node 22 and 24 as the npm registry
// ships them, the plugin packages' unit tests (the store's included, on SQLite and on PostgreSQL when it
// runs), then one kube-sim copy and one rebind, not the whole suite. better-sqlite3 is compiled for each
// version's ABI into a directory of its own (lib/node-versions/runtime.mjs) and handed to the tests by a
// preload (lib/node-versions/betterSqliteAbi.cjs), which records that it was used: a run in which no
// test loaded the ABI's build fails, as does one in which no test ran.
//
// On Node 24, better-sqlite3 12 (what Backstage's backend-defaults asks for, and the workspace has) aborts
// the process whenever the GC collects a Statement outside a Node context, in a plain backend process as
// in Jest (upstream WiseLibs/better-sqlite3#1515; lib/node-versions/sqliteProcess.cjs reproduces it).
// 13 fixes it but cannot load on Node 20, so the Node 24 runs use better-sqlite3 13 from the registry,
// as an adopter on Node 24 must (an `overrides` in their backend), and say so. Each version also runs
// the plugin's migrations and a few thousand queries on SQLite in a plain process (not Jest).
//
// Usage: node scripts/node-versions.mjs [22 24 …]   (default: 22 24)
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { POSTGRES_URL, repoRoot } from './lib/prereqs.mjs';
import {
  BETTER_SQLITE3_NODE24,
  betterSqliteAddon,
  betterSqlitePackage,
  cleanEnv,
  log,
  nodeRuntime,
} from './lib/node-versions/runtime.mjs';

const majors = process.argv.slice(2).filter(a => /^\d+$/.test(a));
const MAJORS = majors.length ? majors : ['22', '24'];
const outDir = join(repoRoot, 'test-results/node-versions');
const preload = join(repoRoot, 'scripts/lib/node-versions/betterSqliteAbi.cjs');
const jestConfig = join(repoRoot, 'scripts/lib/node-versions/jestConfig.cjs');
const sqliteProcess = join(
  repoRoot,
  'scripts/lib/node-versions/sqliteProcess.cjs',
);
const SQLITE_ROUNDS = 2000; // sqliteProcess.cjs's default: 12.x aborts before 1000 on Node 24
const backstageCli = join(
  repoRoot,
  'node_modules/@backstage/cli/bin/backstage-cli',
);

// What runs on each version: every plugin package's tests except those on kube-sim clusters, then one
// copy and one rebind on kube-sim.
const RUNS = [
  {
    name: 'plugin unit and store tests',
    args: ['plugins/', '--testPathIgnorePatterns', '\\.kubesim\\.test\\.'],
  },
  {
    name: 'kube-sim copy and rebind',
    // one of each: a renamed test must not leave this run checking half of it
    expectPassed: 2,
    args: [
      'plugins/namespace-transfer-node/src/copy/copy.kubesim.test.ts',
      'plugins/namespace-transfer-node/src/rebind/rebind.kubesim.test.ts',
      '-t',
      '^(copy flow on kube-sim same cluster, other namespace|rebind on kube-sim moves the volume of a PVC a Deployment uses)',
    ],
  },
];

/** Node 24 needs better-sqlite3 13 (see the top); older versions keep the workspace's 12, rebuilt. */
function sqliteDriver(runtime) {
  if (Number(runtime.version.slice(1).split('.')[0]) >= 24)
    return {
      name: `better-sqlite3 ${BETTER_SQLITE3_NODE24} (12.x aborts on Node 24)`,
      env: { NSTRANSFER_BETTER_SQLITE3_PACKAGE: betterSqlitePackage(runtime) },
      jestArgs: ['--config', jestConfig],
    };
  return {
    name: `better-sqlite3 12 built for ABI ${runtime.abi}`,
    env: { NSTRANSFER_BETTER_SQLITE3_ADDON: betterSqliteAddon(runtime) },
    jestArgs: [],
  };
}

function runEnv(runtime, driver, marker) {
  return cleanEnv({
    // every `node` a test or tool starts is this version too
    PATH: `${dirname(runtime.bin)}:${process.env.PATH}`,
    NODE_OPTIONS: `--require ${preload}`,
    ...driver.env,
    NSTRANSFER_BETTER_SQLITE3_MARKER: marker,
  });
}

function markerLoads(marker) {
  return existsSync(marker)
    ? readFileSync(marker, 'utf8').trim().split('\n')
    : [];
}

/** The plugin's migrations and queries on SQLite in a plain process, as a backend runs them. */
function sqliteProcessRun(runtime, driver) {
  const marker = join(
    outDir,
    `node${runtime.version.split('.')[0].slice(1)}-process.addon`,
  );
  rmSync(marker, { force: true });
  const name = 'SQLite in a plain process (migrations, queries)';
  log(`=== ${runtime.version}: ${name}\n$ ${runtime.bin} ${sqliteProcess}`);
  const started = Date.now();
  const r = spawnSync(runtime.bin, [sqliteProcess], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: {
      ...runEnv(runtime, driver, marker),
      NSTRANSFER_SQLITE_ROUNDS: String(SQLITE_ROUNDS),
    },
  });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  const problems = [];
  if (r.status !== 0) problems.push(`exited ${r.status ?? r.signal}`);
  let out = {};
  try {
    out = JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    problems.push('printed no result');
  }
  const migrations = readdirSync(
    join(repoRoot, 'plugins/namespace-transfer-backend/migrations'),
  ).filter(f => f.endsWith('.js')).length;
  if (out.migrations !== migrations)
    problems.push(`${out.migrations} migrations ran, expected ${migrations}`);
  if (out.rows !== SQLITE_ROUNDS)
    problems.push(`${out.rows} rows read back, expected ${SQLITE_ROUNDS}`);
  const loads = markerLoads(marker);
  if (!loads.some(l => l.startsWith(runtime.version)))
    problems.push(`the process did not load ${driver.name}`);
  return {
    runtime,
    driver,
    run: { name },
    seconds: (Date.now() - started) / 1000,
    problems,
    addonLoads: loads.length,
    detail: `${out.migrations} migrations, ${out.rows} rows`,
  };
}

function jestRun(runtime, driver, run, index) {
  const json = join(
    outDir,
    `node${runtime.version.split('.')[0].slice(1)}-${index}.json`,
  );
  const marker = `${json}.addon`;
  rmSync(json, { force: true });
  rmSync(marker, { force: true });
  const args = [
    backstageCli,
    'repo',
    'test',
    '--watchAll=false',
    '--json',
    `--outputFile=${json}`,
    ...driver.jestArgs,
    ...run.args,
  ];
  log(
    `=== ${runtime.version}: ${run.name}\n$ ${runtime.bin} ${args.join(' ')}`,
  );
  const started = Date.now();
  const r = spawnSync(runtime.bin, args, {
    cwd: repoRoot,
    stdio: 'inherit',
    env: {
      ...runEnv(runtime, driver, marker),
      CI: 'true',
      BACKSTAGE_TEST_DISABLE_DOCKER: '1',
      BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING: POSTGRES_URL,
    },
  });
  const seconds = (Date.now() - started) / 1000;
  const problems = [];
  if (r.status !== 0) problems.push(`jest exited ${r.status ?? r.signal}`);
  let counts = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(json)) {
    const j = JSON.parse(readFileSync(json, 'utf8'));
    counts = {
      passed: j.numPassedTests,
      failed: j.numFailedTests,
      skipped: j.numPendingTests,
    };
    const broken = (j.testResults ?? []).filter(
      s =>
        s.status === 'failed' &&
        !s.assertionResults?.some(a => a.status === 'failed'),
    );
    for (const s of broken) problems.push(`suite failed to run: ${s.name}`);
  } else problems.push('jest wrote no results');
  if (counts.passed === 0) problems.push('no test passed');
  if (run.expectPassed && counts.passed !== run.expectPassed)
    problems.push(
      `${counts.passed} tests passed, expected ${run.expectPassed}`,
    );
  const loads = markerLoads(marker);
  if (
    run.name.includes('store') &&
    !loads.some(l => l.startsWith(runtime.version))
  )
    problems.push(`no test loaded ${driver.name} on ${runtime.version}`);
  return {
    runtime,
    driver,
    run,
    seconds,
    problems,
    addonLoads: loads.length,
    detail: `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
  };
}

const results = [];
const started = Date.now();
for (const major of MAJORS) {
  const t = Date.now();
  let runtime;
  let driver;
  try {
    runtime = nodeRuntime(major);
    log(
      `node@${major}: ${runtime.version} (ABI ${runtime.abi}) at ${runtime.bin}, headers in ${runtime.nodedir}`,
    );
    driver = sqliteDriver(runtime);
    log(`SQLite on ${runtime.version}: ${driver.name}`);
  } catch (e) {
    results.push({
      major,
      problems: [`setting up Node ${major}: ${e.message}`],
      seconds: (Date.now() - t) / 1000,
    });
    continue;
  }
  mkdirSync(outDir, { recursive: true });
  results.push({
    major,
    setup: true,
    seconds: (Date.now() - t) / 1000,
    problems: [],
  });
  results.push(sqliteProcessRun(runtime, driver));
  RUNS.forEach((run, i) => results.push(jestRun(runtime, driver, run, i)));
}

log('=== summary');
let failed = false;
for (const r of results) {
  failed ||= r.problems.length > 0;
  const what = r.run
    ? `${r.runtime.version} ${r.run.name}: ${r.detail}; ${r.driver.name} loaded ${r.addonLoads}x`
    : `Node ${r.major} set-up (npx node@${r.major}, better-sqlite3)`;
  log(
    `${r.problems.length ? 'FAIL' : 'ok  '} ${what} (${r.seconds.toFixed(0)} s)${r.problems.map(p => `\n       ${p}`).join('')}`,
  );
}
log(
  `${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
process.exit(failed ? 1 : 0);
