// `npm run e2e`: runs every e2e/*.test.mjs with node's test runner, one file at a time (they share the
// portal's port), prints the spec report, and writes {passed, failed} to E2E_SUMMARY_FILE when set.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = (
  only.length
    ? only
    : readdirSync(dir)
        .filter(f => f.endsWith('.test.mjs'))
        .map(f => join(dir, f))
).sort();
const tap = join(mkdtempSync(join(tmpdir(), 'e2e-')), 'report.tap');

const result = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { stdio: 'inherit' },
);

const report = readFileSync(tap, 'utf8');
const count = name =>
  Number(report.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
const summary = {
  passed: count('pass'),
  failed: count('fail') + count('cancelled'),
};
process.stdout.write(
  `e2e: ${summary.passed} passed, ${summary.failed} failed\n`,
);
if (process.env.E2E_SUMMARY_FILE)
  writeFileSync(process.env.E2E_SUMMARY_FILE, JSON.stringify(summary));
process.exit(result.status === 0 && summary.failed === 0 ? 0 : 1);
