#!/usr/bin/env node
// `npm run pack`: builds the four plugin packages and packs them into dist-packs/, the tarballs an adopter
// installs into their own Backstage until the @namespace-transfer scope is published (see README.md).
// Steps: the type declarations (tsc into dist-types, which the build rolls into dist/*.d.ts), then
// `backstage-cli package build` in each plugin, then `npm pack`, whose prepack/postpack scripts rewrite
// package.json for the registry (entry points at dist, publishConfig) and put it back afterwards.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/prereqs.mjs';

const PLUGIN_DIRS = [
  'plugins/namespace-transfer-common',
  'plugins/namespace-transfer-node',
  'plugins/namespace-transfer-backend',
  'plugins/namespace-transfer',
];
const outDir = join(repoRoot, 'dist-packs');

function run(cwd, cmd, args) {
  process.stdout.write(`\n=== ${cwd}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, {
    cwd: join(repoRoot, cwd),
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    restorePackageJson(cwd);
    process.stderr.write(`pack: '${cmd} ${args.join(' ')}' failed in ${cwd}\n`);
    process.exit(1);
  }
}

// npm skips postpack when the pack fails after prepack: the package.json rewritten for the registry would
// stay in the checkout, with the sources' one left in package.json-prepack
function restorePackageJson(cwd) {
  if (!existsSync(join(repoRoot, cwd, 'package.json-prepack'))) return;
  spawnSync('npx', ['backstage-cli', 'package', 'postpack'], {
    cwd: join(repoRoot, cwd),
    stdio: 'inherit',
  });
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
run('.', 'npx', ['tsc', '-p', 'tsconfig.json']);
for (const dir of PLUGIN_DIRS) {
  run(dir, 'npx', ['backstage-cli', 'package', 'build']);
  run(dir, 'npm', ['pack', '--pack-destination', outDir]);
}
process.stdout.write(
  `\nPacked into ${outDir}:\n${readdirSync(outDir)
    .map(f => `  ${f}\n`)
    .join('')}`,
);
