/*
 * The production path as the README's production section gives it: the backend started with that very
 * command (read from the README) and NODE_ENV=production, with app-config.production.yaml alone. Two
 * things are substituted, through the environment the production config reads and one extra config file:
 * SQLite in memory for PostgreSQL, and a kube-sim cluster for a real one. The frontend is not built (the
 * backend then logs that it has no app to serve).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

jest.setTimeout(150_000);

const REPO_ROOT = path.resolve(__dirname, '../../..');
const BACKEND_DIR = path.resolve(__dirname, '..');
const MONITORING_TOKEN = 'monitoring-token-for-the-production-test';
const GITHUB_CLIENT_ID = 'production-test-client-id';

/** The backend's start command of the README's production section: `cd packages/backend && <command>`. */
async function readmeStartCommand(): Promise<{
  env: Record<string, string>;
  command: string;
  args: string[];
}> {
  const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find(s => s.startsWith('Production'));
  if (!section) throw new Error('README.md has no "## Production" section');
  const line = section
    .split('\n')
    .find(l => l.startsWith('cd packages/backend && '));
  if (!line)
    throw new Error(
      'the README\'s production section has no "cd packages/backend && ..." line',
    );
  const words = line
    .slice('cd packages/backend && '.length)
    .trim()
    .split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0])) {
    const [name, value] = words.shift()!.split('=');
    env[name] = value;
  }
  const [command, ...args] = words;
  return { env, command, args };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Started {
  const child = spawn(command, args, {
    ...options,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', d => (output += d));
  child.stderr!.on('data', d => (output += d));
  const exited = new Promise<number | null>(resolve =>
    child.on('exit', code => resolve(code)),
  );
  return { child, output: () => output, exited };
}

async function stop(started: Started | undefined) {
  if (!started || started.child.exitCode !== null) return;
  started.child.kill('SIGTERM');
  const timer = setTimeout(() => started.child.kill('SIGKILL'), 10_000);
  await started.exited;
  clearTimeout(timer);
}

/** Our environment without what would change the backend's configuration behind the test's back. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('APP_CONFIG_') || key.startsWith('BACKSTAGE_'))
      delete env[key];
  }
  return env;
}

let dir: string;
let kubeSim: Started | undefined;
let backend: Started | undefined;
let refused: Started | undefined;
let baseUrl: string;
let backendEnv: NodeJS.ProcessEnv;
let readme: Awaited<ReturnType<typeof readmeStartCommand>>;

async function startKubeSim() {
  const clusters = path.join(dir, 'clusters.yaml');
  await writeFile(clusters, '- name: prod\n');
  const ready = path.join(dir, 'sim-ready');
  kubeSim = run(
    process.execPath,
    [
      '--import',
      'tsx',
      'packages/kube-sim/src/cli/sim.ts',
      '--config',
      clusters,
      '--no-seed',
      '--dir',
      path.join(dir, 'sim'),
      '--ready-file',
      ready,
    ],
    { cwd: REPO_ROOT, env: baseEnv() },
  );
  const deadline = Date.now() + 45_000;
  while (!existsSync(ready)) {
    if (kubeSim.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`kube-sim did not start:\n${kubeSim.output()}`);
    await new Promise(r => setTimeout(r, 200));
  }
  // The Backstage config fragment kube-sim writes, read for the variables app-config.production.yaml uses.
  const fragment = await readFile(
    path.join(dir, 'sim', 'app-config.kube-sim.yaml'),
    'utf8',
  );
  const value = (key: string) => {
    const match = fragment.match(new RegExp(`^\\s+${key}: (\\S+)$`, 'm'));
    if (!match) throw new Error(`no ${key} in kube-sim's config:\n${fragment}`);
    return match[1];
  };
  const caFile = path.join(dir, 'cluster-ca.pem');
  await writeFile(caFile, Buffer.from(value('caData'), 'base64'));
  return {
    K8S_CLUSTER_NAME: 'prod',
    K8S_CLUSTER_URL: value('url'),
    K8S_CLUSTER_TOKEN: value('serviceAccountToken'),
    // the transfers' identity (namespaceTransfer.worker.clusters); this test only starts the backend, so
    // the reader's token stands in for the engine's
    K8S_ENGINE_TOKEN: value('serviceAccountToken'),
    K8S_CLUSTER_CA_FILE: caFile,
  };
}

async function waitUntilReady(started: Started, url: string) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (started.child.exitCode !== null)
      throw new Error(
        `the backend exited (${started.child.exitCode}):\n${started.output()}`,
      );
    if (Date.now() > deadline)
      throw new Error(
        `the backend was not ready in time:\n${started.output()}`,
      );
    try {
      const res = await fetch(`${url}/.backstage/health/v1/readiness`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'backend-production-'));
  const cluster = await startKubeSim();
  readme = await readmeStartCommand();
  const { env, args } = readme;
  if (readme.command !== 'node')
    throw new Error(`the README starts the backend with ${readme.command}`);

  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  // What replaces PostgreSQL, and the listening address (never every interface in a test).
  const substitutes = path.join(dir, 'app-config.test.yaml');
  await writeFile(
    substitutes,
    [
      'backend:',
      '  listen:',
      '    host: 127.0.0.1',
      '  database:',
      '    client: better-sqlite3',
      "    connection: ':memory:'",
      '',
    ].join('\n'),
  );
  backendEnv = {
    ...baseEnv(),
    ...env,
    ...cluster,
    APP_BASE_URL: baseUrl,
    BACKEND_BASE_URL: baseUrl,
    BACKEND_PORT: String(port),
    BACKEND_MONITORING_TOKEN: MONITORING_TOKEN,
    AUTH_GITHUB_CLIENT_ID: GITHUB_CLIENT_ID,
    AUTH_GITHUB_CLIENT_SECRET: 'production-test-client-secret',
  };
  backend = run(process.execPath, [...args, '--config', substitutes], {
    cwd: BACKEND_DIR,
    env: backendEnv,
  });

  // At the same time: the same start with the guest provider added under auth.environment: production.
  const withGuest = path.join(dir, 'app-config.guest.yaml');
  await writeFile(withGuest, 'auth:\n  providers:\n    guest: {}\n');
  const refusedPort = await freePort();
  refused = run(
    process.execPath,
    [...args, '--config', substitutes, '--config', withGuest],
    {
      cwd: BACKEND_DIR,
      env: {
        ...backendEnv,
        APP_BASE_URL: `http://127.0.0.1:${refusedPort}`,
        BACKEND_BASE_URL: `http://127.0.0.1:${refusedPort}`,
        BACKEND_PORT: String(refusedPort),
      },
    },
  );

  await waitUntilReady(backend, baseUrl);
});

afterAll(async () => {
  await Promise.all([stop(backend), stop(refused)]);
  await stop(kubeSim);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function get(
  urlPath: string,
  headers: Record<string, string> = {},
  init: RequestInit = {},
) {
  const res = await fetch(`${baseUrl}${urlPath}`, {
    redirect: 'manual',
    ...init,
    headers: { 'X-Requested-With': 'XMLHttpRequest', ...headers },
  });
  const text = await res.text();
  return { res, text, json: () => JSON.parse(text) };
}

const monitoring = { Authorization: `Bearer ${MONITORING_TOKEN}` };

describe('the backend started as the README says for production', () => {
  it('is started by the README with NODE_ENV=production and the production config alone', () => {
    expect(readme.env).toEqual({ NODE_ENV: 'production' });
    expect(readme.args.filter(a => a.endsWith('.yaml'))).toEqual([
      '../../app-config.production.yaml',
    ]);
  });

  it('refuses the guest sign-in', async () => {
    const { res, json } = await get('/api/auth/guest/refresh');
    expect(res.status).toBe(404);
    expect(json().backstageIdentity).toBeUndefined();
  });

  it('refuses the demo sign-in, admin included', async () => {
    const { res, json } = await get('/api/auth/demo/refresh', {
      'x-namespace-transfer-demo-user': 'user:default/carol',
    });
    expect(res.status).toBe(404);
    expect(json().backstageIdentity).toBeUndefined();
  });

  it('serves the GitHub sign-in it is configured with', async () => {
    const bare = await get('/api/auth/github/start');
    expect(bare.res.status).not.toBe(404);
    expect(bare.text).not.toMatch(/Unknown auth provider/);

    const { res } = await get('/api/auth/github/start?env=production');
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(
      'https://github.com/login/oauth/authorize',
    );
    expect(location.searchParams.get('client_id')).toBe(GITHUB_CLIENT_ID);
  });

  it('lets the monitoring token read the clusters, and nothing else', async () => {
    const clusters = await get('/api/namespace-transfer/clusters', monitoring);
    expect(clusters.res.status).toBe(200);
    expect(clusters.json().clusters).toEqual([
      expect.objectContaining({ name: 'prod' }),
    ]);
    expect((await get('/api/catalog/entities', monitoring)).res.status).toBe(
      403,
    );
    const location = await get(
      '/api/catalog/locations',
      { ...monitoring, 'Content-Type': 'application/json' },
      {
        method: 'POST',
        body: JSON.stringify({ type: 'file', target: '/etc/hostname' }),
      },
    );
    expect(location.res.status).toBe(403);
    expect((await get('/api/namespace-transfer/clusters')).res.status).toBe(
      401,
    );
  });

  it('reaches the cluster given by the K8S_CLUSTER_* variables (URL, token, CA file)', async () => {
    const clusters = await get('/api/namespace-transfer/clusters', monitoring);
    expect(clusters.json().clusters).toEqual([
      expect.objectContaining({ name: 'prod', reachable: true }),
    ]);
  });

  it('answers errors without stack traces or file paths', async () => {
    const errors = {
      guest: await get('/api/auth/guest/refresh'),
      demo: await get('/api/auth/demo/refresh', {
        'x-namespace-transfer-demo-user': 'carol',
      }),
      'github without env': await get('/api/auth/github/start'),
      'no token': await get('/api/catalog/entities'),
      'bad token': await get('/api/namespace-transfer/clusters', {
        Authorization: 'Bearer not-a-token',
      }),
      'restricted token': await get('/api/catalog/entities', monitoring),
      // the workflow's routes read their bodies themselves (inside the audit event)
      'malformed JSON': await get(
        '/api/namespace-transfer/plans',
        { ...monitoring, 'Content-Type': 'application/json' },
        { method: 'POST', body: '{not json' },
      ),
      'invalid query': await get('/api/namespace-transfer/volumes', monitoring),
    };
    for (const [what, { res, text }] of Object.entries(errors)) {
      expect({ what, status: res.status >= 400 }).toEqual({
        what,
        status: true,
      });
      expect({ what, stack: JSON.parse(text).error?.stack }).toEqual({
        what,
        stack: undefined,
      });
      expect({ what, text }).toEqual({
        what,
        text: expect.not.stringMatching(/\n\s+at |\.ts:\d+|node_modules/),
      });
      expect({ what, text }).toEqual({
        what,
        text: expect.not.stringContaining(REPO_ROOT),
      });
    }
  });

  it('refuses to start with the guest provider configured, saying which and what to change', async () => {
    const code = await refused!.exited;
    expect(code).toBe(1);
    const output = refused!.output();
    expect(output).toContain(
      "Refusing to start: auth.providers.guest is configured, but auth.environment is 'production' and NODE_ENV is 'production'",
    );
    expect(output).toContain(
      'remove auth.providers.guest from the configuration',
    );
  });
});
