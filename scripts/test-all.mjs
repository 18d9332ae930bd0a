#!/usr/bin/env node
// `npm test`: the whole test suite. Installs what is missing, then runs the type check, every package's
// unit and integration tests (SQLite and PostgreSQL, kube-sim clusters moving real files) and the
// end-to-end tests in Chromium, and ends with one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  POSTGRES_URL,
  ensureDebianPackages,
  ensureNodeModules,
  ensurePostgres,
  repoRoot,
} from './lib/prereqs.mjs';

const args = process.argv.slice(2);
const only = args.find(a => !a.startsWith('-'));
const skipE2e = args.includes('--no-e2e');

ensureNodeModules();
ensureDebianPackages();
const postgres = ensurePostgres();

const results = [];
function step(name, cmd, cmdArgs, env = {}) {
  process.stdout.write(`\n=== ${name}: ${cmd} ${cmdArgs.join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(cmd, cmdArgs, {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  return ok;
}

const outDir = join(repoRoot, 'test-results');
mkdirSync(outDir, { recursive: true });
const jestJson = join(outDir, 'jest.json');
rmSync(jestJson, { force: true });

// also writes the declarations (dist-types, ignored by git) that the API report check reads
step('type check', 'npx', ['tsc', '-p', 'tsconfig.json']);
if (!only) {
  // fails when a plugin's public API no longer matches its committed report*.api.md, or has warnings
  // (a missing release tag, a referenced type not exported); `npm run api-reports` rewrites them
  step('API reports (api-extractor)', 'npm', [
    'run',
    'api-reports:only',
    '--',
    '--ci',
  ]);
  step('lint (ESLint, Backstage config)', 'npx', [
    'backstage-cli',
    'repo',
    'lint',
  ]);
  step('formatting (Prettier)', 'npx', ['prettier', '--check', '.']);
}
step(
  'unit and integration tests',
  'npx',
  [
    'backstage-cli',
    'repo',
    'test',
    '--watchAll=false',
    '--json',
    `--outputFile=${jestJson}`,
    ...(only ? [only] : []),
  ],
  {
    CI: 'true',
    BACKSTAGE_TEST_DISABLE_DOCKER: '1',
    ...(postgres
      ? { BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING: POSTGRES_URL }
      : {}),
  },
);
if (!only) {
  // the four packed plugins installed into a new Backstage project outside the workspace, its backend
  // started on SQLite beside a kube-sim cluster, and the packed nstransfer (scripts/adopter-install.mjs)
  step(
    "an adopter's install (packed plugins in a new Backstage)",
    process.execPath,
    ['scripts/adopter-install.mjs'],
  );
  // Node 22 and 24 as the npm registry ships them: the plugin packages' unit and store tests, one kube-sim
  // copy and one rebind, better-sqlite3 built for each ABI (scripts/node-versions.mjs)
  step(
    'Node 22 and 24 (plugin unit and store tests, a kube-sim copy and rebind)',
    process.execPath,
    ['scripts/node-versions.mjs', '22', '24'],
  );
}
let e2e = { passed: 0, failed: 0 };
if (!skipE2e && !only && existsSync(join(repoRoot, 'e2e'))) {
  const e2eJson = join(outDir, 'e2e-summary.json');
  rmSync(e2eJson, { force: true });
  step('end-to-end tests (Chromium)', 'npm', ['run', 'e2e'], {
    E2E_SUMMARY_FILE: e2eJson,
  });
  if (existsSync(e2eJson)) e2e = JSON.parse(readFileSync(e2eJson, 'utf8'));
}

let passed = e2e.passed;
let failed = e2e.failed;
let skipped = 0;
if (existsSync(jestJson)) {
  const j = JSON.parse(readFileSync(jestJson, 'utf8'));
  passed += j.numPassedTests;
  failed += j.numFailedTests;
  skipped += j.numPendingTests + (j.numTodoTests ?? 0);
  for (const suite of j.testResults ?? []) {
    if (
      suite.status === 'failed' &&
      !suite.assertionResults?.some(a => a.status === 'failed')
    ) {
      failed += 1; // a suite that failed to load counts as a failure, not as nothing
      process.stdout.write(
        `suite failed to run: ${suite.name}\n${(suite.message ?? '').slice(0, 2000)}\n`,
      );
    }
  }
}
if (!postgres)
  process.stdout.write(
    '\nwarning: PostgreSQL not available; its store tests were skipped\n',
  );
process.stdout.write('\n=== summary\n');
for (const r of results)
  process.stdout.write(
    `${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(0)}s)\n`,
  );
const stepsFailed = results.filter(r => !r.ok).length;
process.stdout.write(
  `${passed} passed, ${failed} failed, ${skipped} skipped\n`,
);
process.exit(stepsFailed || failed ? 1 : 0);
