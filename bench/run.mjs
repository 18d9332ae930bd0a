#!/usr/bin/env node
// `npm run bench -- NAME [args]`: runs bench/NAME.ts. Each benchmark prints a human-readable table, then one
// JSON line per figure: {"bench","figure","value","target","met"} (ratios against a baseline measured in
// the same run, never absolute times: these machines are shared and noisy).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter(f => f.endsWith('.bench.ts'))
  .map(f => f.replace(/\.bench\.ts$/, ''));
const [name, ...rest] = process.argv.slice(2);
if (
  !name ||
  name === '--help' ||
  name === '-h' ||
  !existsSync(join(here, `${name}.bench.ts`))
) {
  process.stdout.write(
    `Usage: npm run bench -- NAME [options]\n\nBenchmarks: ${available.join(', ')}\n`,
  );
  process.exit(name && name !== '--help' && name !== '-h' ? 2 : 0);
}
const r = spawnSync('npx', ['tsx', join(here, `${name}.bench.ts`), ...rest], {
  stdio: 'inherit',
  cwd: join(here, '..'),
});
process.exit(r.status ?? 1);
