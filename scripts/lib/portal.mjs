// How the portal is started, shared by the demo and the e2e tests so that both run the same thing.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './prereqs.mjs';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (
      entry.name === 'node_modules' ||
      entry.name === 'dist' ||
      entry.name.startsWith('.')
    )
      continue;
    const path = join(dir, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs,
    );
  }
  return newest;
}

/** The backend serves the app's production bundle; build it when any frontend source is newer. */
export function buildAppIfStale() {
  const dist = join(repoRoot, 'packages/app/dist/index.html');
  const sources = Math.max(
    newestMtime(join(repoRoot, 'packages/app')),
    newestMtime(join(repoRoot, 'plugins/namespace-transfer')),
    newestMtime(join(repoRoot, 'plugins/namespace-transfer-common')),
  );
  if (existsSync(dist) && statSync(dist).mtimeMs > sources) return;
  process.stdout.write(
    'building the frontend (a few minutes the first time)...\n',
  );
  execFileSync('npx', ['backstage-cli', 'package', 'build'], {
    cwd: join(repoRoot, 'packages/app'),
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' },
  });
}

export function backendArgs(simDir) {
  return [
    'backstage-cli',
    'package',
    'start',
    '--config',
    join(repoRoot, 'app-config.yaml'),
    '--config',
    join(simDir, 'app-config.kube-sim.yaml'),
  ];
}

/**
 * The environment kubectl and the nstransfer CLI need for the demo's clusters: the admin kubeconfig, and a
 * state directory inside the demo's own directory, so that `nstransfer status` lists this demo's runs
 * only (`--fresh` deletes it with the clusters' data at the next start).
 */
export function cliEnvironment(simDir) {
  return {
    KUBECONFIG: join(simDir, 'kubeconfig'),
    NSTRANSFER_STATE_DIR: join(simDir, 'nstransfer'),
  };
}

/** The line the demo prints and the README's nstransfer walk-through starts with. */
export function cliExportLine(simDir) {
  const quote = v =>
    /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
  return `export ${Object.entries(cliEnvironment(simDir))
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(' ')}`;
}
