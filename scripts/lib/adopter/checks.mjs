// What the adopter's install must show once its backend runs: the plugin's migrations applied to its
// SQLite database, its routes answering with the token of backend.auth.externalAccess, an entity's volumes
// read from the kube-sim cluster; and the packed nstransfer behaving as the workspace's.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { repoRoot } from '../prereqs.mjs';
import { waitFor } from '../processes.mjs';

function assert(ok, message) {
  if (!ok) throw new Error(message);
}

/** The plugin's database (backend.database.connection.directory: one file per plugin) is migrated. */
export function checkMigrations(dir) {
  const shipped = readdirSync(
    join(
      dir,
      'node_modules/@namespace-transfer/plugin-namespace-transfer-backend/migrations',
    ),
  ).filter(f => f.endsWith('.js'));
  const db = new Database(join(dir, 'db/namespace-transfer.sqlite'), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    const applied = db
      .prepare('SELECT name FROM knex_migrations ORDER BY id')
      .all()
      .map(r => r.name);
    assert(
      shipped.length > 0 &&
        JSON.stringify(applied) === JSON.stringify(shipped.sort()),
      `migrations applied ${JSON.stringify(applied)}, the package ships ${JSON.stringify(shipped)}`,
    );
    return `${applied.length} migrations applied (${applied.join(', ')})`;
  } finally {
    db.close();
  }
}

async function getJson(url, token) {
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  assert(res.ok, `GET ${url}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/** Health, the OpenAPI document and an entity's volumes, through the adopter's backend. */
export async function checkRoutes(baseUrl, token) {
  const api = `${baseUrl}/api/namespace-transfer`;
  const notes = [];
  const ready = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
  assert(ready.ok, `readiness answered ${ready.status}`);
  const { clusters } = await getJson(`${api}/clusters`, token);
  const east = clusters.find(c => c.name === 'east');
  assert(
    east?.reachable,
    `the plugin does not reach cluster east: ${JSON.stringify(clusters)}`,
  );
  notes.push(`health: readiness 200, cluster east reachable (${east.version})`);

  const doc = await getJson(`${api}/openapi.json`, token);
  assert(
    /^3\./.test(doc.openapi ?? '') &&
      doc.paths?.['/entities/{kind}/{namespace}/{name}/volumes'],
    `openapi.json is not the plugin's OpenAPI 3 document: ${JSON.stringify(doc).slice(0, 300)}`,
  );
  notes.push(
    `openapi.json: OpenAPI ${doc.openapi}, ${Object.keys(doc.paths).length} paths`,
  );

  // the catalog reads catalog-info.yaml in its first processing rounds: until then the entity is unknown
  // (404), and polling can meet the plugin's rate limit (429); any other answer ends the wait
  let volumes;
  let last = '';
  await waitFor(
    "payments-db's volumes",
    async () => {
      const res = await fetch(
        `${api}/entities/component/default/payments-db/volumes`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      if (res.ok) {
        volumes = await res.json();
        return true;
      }
      last = `${res.status} ${(await res.text()).slice(0, 500)}`;
      if (res.status === 404 || res.status === 429) return false;
      throw new Error(`volumes: ${last}`);
    },
    120_000,
  ).catch(e => {
    throw new Error(`${e.message}; last answer: ${last}`);
  });
  const eastVolumes = volumes.clusters.find(c => c.cluster === 'east');
  const claim = eastVolumes?.volumes.find(v => v.name === 'payments-db-data');
  assert(
    !eastVolumes?.error && claim?.namespace === 'payments',
    `payments-db's volumes lack payments/payments-db-data on east: ${JSON.stringify(volumes).slice(0, 800)}`,
  );
  notes.push(
    `volumes of component:default/payments-db: ${eastVolumes.volumes.map(v => `${v.namespace}/${v.name}`).join(', ')} on east`,
  );
  return notes;
}

// The packed bin (bin/nstransfer.js → dist) against the workspace's launcher (sources through tsx): the same
// exit code for each, and the same help text.
const CLI_CASES = [
  { args: ['--help'], exit: 0, sameOutput: true },
  { args: ['plan', '--help'], exit: 0, sameOutput: true },
  {
    args: [
      'plan',
      'payments/payments-db-data',
      '--source-context',
      'east',
      '--destination-context',
      'east',
      '--destination-namespace',
      'orders',
      '--output',
      'json',
    ],
    exit: 0,
  },
  {
    args: [
      'plan',
      'payments/no-such-claim',
      '--source-context',
      'east',
      '--destination-context',
      'east',
      '--destination-namespace',
      'orders',
    ],
    exit: 2,
  },
  { args: ['plan', '--no-such-flag'], exit: 2 },
];

export function checkCli(dir, env) {
  const installed = join(dir, 'node_modules/.bin/nstransfer');
  const workspace = join(
    repoRoot,
    'plugins/namespace-transfer-node/bin/nstransfer',
  );
  const notes = [];
  for (const c of CLI_CASES) {
    const run = bin =>
      spawnSync(bin, c.args, {
        cwd: dir,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
    const packed = run(installed);
    const source = run(workspace);
    const shown = `nstransfer ${c.args.join(' ')}`;
    assert(
      packed.status === c.exit && source.status === c.exit,
      `${shown}: exit ${packed.status} from the tarball, ${source.status} from the workspace, expected ${c.exit}\n` +
        `${packed.stderr}${packed.stdout}`.slice(0, 1500),
    );
    if (c.sameOutput)
      assert(
        packed.stdout === source.stdout,
        `${shown}: the tarball's output differs from the workspace's`,
      );
    if (c.args.includes('json')) JSON.parse(packed.stdout);
    notes.push(`${shown}: exit ${packed.status} (as the workspace's)`);
  }
  return notes;
}
