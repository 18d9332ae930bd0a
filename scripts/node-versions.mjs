#!/usr/bin/env node
// The Node versions adopters run (issue 14; a step of `npm test`): on Node 22 and 24 as the npm registry
// ships them, the plugin packages' unit tests (the store's included, on SQLite and on PostgreSQL when it
// runs), then one kube-sim copy and one rebind, not the whole suite. better-sqlite3 is compiled for each
// version's ABI into a directory of its own (lib/node-versions/runtime.mjs) and handed to the tests by a
// preload (lib/node-versions/betterSqliteAbi.cjs), which records that it was used: a run in which no
// test loaded the ABI's build fails, as does one in which no test ran.
//
// Usage: node scripts/node-versions.mjs [22 24 …]   (default: 22 24)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { POSTGRES_URL, repoRoot } from './lib/prereqs.mjs';
import {
  betterSqliteAddon,
  cleanEnv,
  log,
  nodeRuntime,
} from './lib/node-versions/runtime.mjs';

const majors = process.argv.slice(2).filter(a => /^\d+$/.test(a));
const MAJORS = majors.length ? majors : ['22', '24'];
const outDir = join(repoRoot, 'test-results/node-versions');
const preload = join(repoRoot, 'scripts/lib/node-versions/betterSqliteAbi.cjs');
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

function jestRun(runtime, addon, run, index) {
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
    ...run.args,
  ];
  log(
    `=== ${runtime.version}: ${run.name}\n$ ${runtime.bin} ${args.join(' ')}`,
  );
  const started = Date.now();
  const r = spawnSync(runtime.bin, args, {
    cwd: repoRoot,
    stdio: 'inherit',
    env: cleanEnv({
      // every `node` a test or tool starts is this version too
      PATH: `${dirname(runtime.bin)}:${process.env.PATH}`,
      NODE_OPTIONS: `--require ${preload}`,
      NSTRANSFER_BETTER_SQLITE3_ADDON: addon,
      NSTRANSFER_BETTER_SQLITE3_MARKER: marker,
      CI: 'true',
      BACKSTAGE_TEST_DISABLE_DOCKER: '1',
      BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING: POSTGRES_URL,
    }),
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
  const loads = existsSync(marker)
    ? readFileSync(marker, 'utf8').trim().split('\n')
    : [];
  if (
    run.name.includes('store') &&
    !loads.some(l => l.startsWith(runtime.version))
  )
    problems.push(`no test loaded better-sqlite3 built for ${runtime.version}`);
  return { runtime, run, seconds, counts, problems, addonLoads: loads.length };
}

const results = [];
const started = Date.now();
for (const major of MAJORS) {
  const t = Date.now();
  let runtime;
  let addon;
  try {
    runtime = nodeRuntime(major);
    log(
      `node@${major}: ${runtime.version} (ABI ${runtime.abi}) at ${runtime.bin}, headers in ${runtime.nodedir}`,
    );
    addon = betterSqliteAddon(runtime);
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
  RUNS.forEach((run, i) => results.push(jestRun(runtime, addon, run, i)));
}

log('=== summary');
let failed = false;
for (const r of results) {
  failed ||= r.problems.length > 0;
  const what = r.run
    ? `${r.runtime.version} ${r.run.name}: ${r.counts.passed} passed, ${r.counts.failed} failed, ${r.counts.skipped} skipped; better-sqlite3 (${r.runtime.abi}) loaded ${r.addonLoads}x`
    : `Node ${r.major} set-up (npx node@${r.major}, better-sqlite3 build)`;
  log(
    `${r.problems.length ? 'FAIL' : 'ok  '} ${what} (${r.seconds.toFixed(0)} s)${r.problems.map(p => `\n       ${p}`).join('')}`,
  );
}
log(
  `${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
process.exit(failed ? 1 : 0);
