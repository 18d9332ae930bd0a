// How the portal is started, shared by the demo and the e2e tests so that both run the same thing.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
    // without it (a sim started by hand) transfers run as the reader, which may not write: the backend warns
    ...(existsSync(engineConfigPath(simDir))
      ? ['--config', engineConfigPath(simDir)]
      : []),
    ...(existsSync(databaseConfigPath(simDir))
      ? ['--config', databaseConfigPath(simDir)]
      : []),
  ];
}

export function databaseConfigPath(simDir) {
  return join(simDir, 'app-config.database.yaml');
}

/**
 * The demo's SQLite databases in files under the demo's directory (one per plugin), so that restarting the
 * backend alone finds its transfers and resumes them. A full demo restart recreates the clusters and this
 * directory with them, so it starts with an empty store. Left out when BACKEND_DATABASE_CLIENT or
 * BACKEND_DATABASE_CONNECTION choose another database.
 */
export function writeDatabaseConfig(simDir) {
  const path = databaseConfigPath(simDir);
  if (
    process.env.BACKEND_DATABASE_CLIENT ||
    process.env.BACKEND_DATABASE_CONNECTION
  ) {
    rmSync(path, { force: true });
    return;
  }
  // JSON is YAML: Backstage's config loader reads it as such
  writeFileSync(
    path,
    `${JSON.stringify(
      {
        backend: {
          database: {
            client: 'better-sqlite3',
            connection: { directory: join(simDir, 'database') },
          },
        },
      },
      null,
      2,
    )}\n`,
  );
}

/** The ServiceAccount kube-sim's seed binds to the copy and rebind roles (deploy/README.md). */
const ENGINE_SERVICE_ACCOUNT = {
  namespace: 'namespace-transfer-system',
  name: 'namespace-transfer-engine',
};
/** long enough for a demo left running for days; a restart of the demo asks for new ones */
const ENGINE_TOKEN_SECONDS = 7 * 24 * 3600;

export function engineConfigPath(simDir) {
  return join(simDir, 'app-config.engine.yaml');
}

/**
 * Writes namespaceTransfer.worker.clusters and namespaceTransfer.kep.clusters for the demo's clusters: a token of the engine's ServiceAccount
 * on each, asked of its API server (a TokenRequest through the admin kubeconfig kube-sim wrote), so that
 * the backend reads as the reader kube-sim's config names and runs transfers as the engine, as a
 * least-privilege installation does. Owner-only, like kube-sim's own config: it holds tokens.
 */
export async function writeEngineIdentityConfig(simDir) {
  // imported here: the demo loads this file before it installs node_modules
  const { CoreV1Api, KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(join(simDir, 'kubeconfig'));
  const clusters = [];
  for (const context of kc.getContexts()) {
    kc.setCurrentContext(context.name);
    const request = await kc
      .makeApiClient(CoreV1Api)
      .createNamespacedServiceAccountToken({
        ...ENGINE_SERVICE_ACCOUNT,
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { expirationSeconds: ENGINE_TOKEN_SECONDS },
        },
      });
    // kube-sim names each context after its cluster, as its Backstage config does
    clusters.push({
      name: context.name,
      serviceAccountToken: request.status.token,
    });
  }
  writeFileSync(
    engineConfigPath(simDir),
    `# Written by the demo: the identity transfers run as on each kube-sim cluster. Regenerated at every start.\n${JSON.stringify(
      {
        namespaceTransfer: {
          worker: { clusters },
          // NamespaceTransferRequests made with kubectl are carried out and listed in the portal too
          kep: { clusters: clusters.map(c => c.name) },
        },
      },
      null,
      2,
    )}\n`,
    { mode: 0o600 },
  );
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
