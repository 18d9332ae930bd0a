/**
 * The bench's side of the backend under measurement: a database of its own (a SQLite file in a temporary
 * folder, or a PostgreSQL database made and dropped here), the plugin's migrations, and the backend
 * started as a child process on it (server.ts), whose memory is read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import knexFactory, { type Knex } from 'knex';
import { mockCredentials } from '@backstage/backend-test-utils';
import { migrateToLatest } from '../../plugins/namespace-transfer-backend/src/store/migrate';

export type Engine = 'sqlite' | 'postgres';
export const POSTGRES_URL =
  process.env.BENCH_API_POSTGRES ??
  'postgresql://postgres:postgres@127.0.0.1:5432';

export interface BenchDatabase {
  engine: Engine;
  /** what the child's knex is given */
  config: { client: string; connection: unknown };
  knex: Knex;
  drop(): Promise<void>;
}

/** An empty, migrated database named after `label`, gone again after drop(). */
export async function createDatabase(
  engine: Engine,
  label: string,
): Promise<BenchDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `bench-api-${label}-`));
    const config = {
      client: 'better-sqlite3',
      connection: { filename: join(dir, 'transfers.sqlite') },
    };
    const knex = knexFactory({ ...config, useNullAsDefault: true });
    await migrateToLatest(knex);
    return {
      engine,
      config,
      knex,
      drop: async () => {
        await knex.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `bench_api_${label}_${process.pid}`;
  const admin = knexFactory({ client: 'pg', connection: POSTGRES_URL });
  await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
  await admin.raw('CREATE DATABASE ??', [name]);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const config = { client: 'pg', connection: url.toString() };
  const knex = knexFactory(config);
  await migrateToLatest(knex);
  return {
    engine,
    config,
    knex,
    drop: async () => {
      await knex.destroy();
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      await admin.destroy();
    },
  };
}

/** BENCH_API_BACKEND_NODE_ARGS: node's options for the backend process, to look into it (e.g. --trace-gc) */
const NODE_ARGS = (process.env.BENCH_API_BACKEND_NODE_ARGS ?? '')
  .split(' ')
  .filter(Boolean);

export interface ChildBackend {
  pid: number;
  base: string;
  stop(): Promise<void>;
}

/** The backend (server.ts) in a child process on `db`, once it answers. */
export async function startChildBackend(
  db: BenchDatabase,
): Promise<ChildBackend> {
  // node itself with tsx's loader (the tsx command would put a process of its own in between)
  const child: ChildProcess = spawn(
    process.execPath,
    [...NODE_ARGS, '--import', 'tsx', join(__dirname, 'server.ts')],
    {
      env: { ...process.env, BENCH_API_DB: JSON.stringify(db.config) },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<number | null>(r => child.on('exit', r));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', line => {
      if (line.startsWith('{"port"')) resolve(JSON.parse(line).port);
      else process.stderr.write(`backend: ${line}\n`);
    });
    exited.then(code =>
      reject(new Error(`the backend exited with ${code} before serving`)),
    );
  });
  return {
    pid: child.pid!,
    base: `http://127.0.0.1:${port}/api/namespace-transfer`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export const authHeader = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

/** VmRSS and VmHWM (peak) of a process, in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** Sets the process's peak RSS (VmHWM) back to its RSS now (Linux: clear_refs 5), so a later peak is the request's. */
export function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}
