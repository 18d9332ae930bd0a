// A real process on SQLite, outside Jest (issue 14): knex on better-sqlite3 runs the backend plugin's
// migrations on a file database, writes and reads rows many times over (so that statements are prepared,
// dropped and collected while the process runs), then destroys knex and exits the way a backend does.
// Run by scripts/node-versions.mjs with the preload that loads better-sqlite3 built for this Node's ABI;
// it prints one JSON line, and a native abort shows as the process's signal. better-sqlite3 12 on Node 24
// aborts here within the first thousand rounds (RemoveEnvironmentCleanupHook, see runtime.mjs): with the
// cached builds, NODE_OPTIONS="--require ./scripts/lib/node-versions/betterSqliteAbi.cjs"
// NSTRANSFER_BETTER_SQLITE3_ADDON=<cache>/better-sqlite3-12.*-node-v24.*/build/Release/better_sqlite3.node
// <cache>/node-v24.*/bin/node scripts/lib/node-versions/sqliteProcess.cjs
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const repoRoot = join(__dirname, '../../..');
const knexFactory = require(join(repoRoot, 'node_modules/knex'));

const ROUNDS = Number(process.env.NSTRANSFER_SQLITE_ROUNDS ?? 2000);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'nstransfer-sqlite-'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'store.sqlite') },
    useNullAsDefault: true,
  });
  try {
    await knex.migrate.latest({
      directory: join(
        repoRoot,
        'plugins/namespace-transfer-backend/migrations',
      ),
      loadExtensions: ['.js'],
    });
    const tables = await knex('sqlite_master')
      .where({ type: 'table' })
      .pluck('name');
    for (let i = 0; i < ROUNDS; i++) {
      await knex('batches').insert({
        id: `b-${i}`,
        requester: 'user:default/probe',
        source_cluster: 'c',
        source_namespace: 'ns',
        destination_entity_ref: 'component:default/probe',
        created_at: new Date(),
      });
      await knex('batches')
        .where({ id: `b-${i}` })
        .first();
      // every 100 rounds the dropped statements are collected while the process runs, as a GC under a
      // long-running backend would; `global.gc` exists when node runs with --expose-gc
      if (i % 100 === 99 && global.gc) global.gc();
    }
    const [{ n }] = await knex('batches').count({ n: '*' });
    process.stdout.write(
      `${JSON.stringify({
        node: process.version,
        migrations: (await knex('knex_migrations').pluck('name')).length,
        tables: tables.length,
        rows: Number(n),
      })}\n`,
    );
  } finally {
    await knex.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  e => {
    process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  },
);
