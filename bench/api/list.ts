/**
 * The list route's latency as a user's browser sees it (HTTP to the backend process, JSON parsed), on a
 * store of 1,000 and one of 100,000 transfers, each behind its own backend, rounds interleaved so both
 * see the same machine. A round asks each query of the mix once of each store.
 */
import type { Figure } from '../lib';
import {
  authHeader,
  createDatabase,
  startChildBackend,
  type BenchDatabase,
  type ChildBackend,
  type Engine,
} from './backend';
import { insertRows } from './rows';
import { ADMIN, MEMBER } from './users';

interface Query {
  name: string;
  user: string;
  /** the query string; a page further adds the cursor of the first page */
  query: string;
  secondPage?: boolean;
}

/** the pages a portal asks for: the audit page as an admin and a team member's, first pages and a further one */
const MIX: Query[] = [
  { name: 'admin, newest first', user: ADMIN, query: '' },
  { name: 'admin, page 2', user: ADMIN, query: '', secondPage: true },
  { name: 'admin, state=failed', user: ADMIN, query: 'state=failed' },
  {
    name: 'admin, requester',
    user: ADMIN,
    query: 'requester=user:default/user-123',
  },
  {
    name: 'admin, running+staged by update',
    user: ADMIN,
    query: 'state=running&state=staged&sort=updatedAt',
  },
  // a member sees about 2% of the store: an entity page's shorter pages
  { name: 'member, newest first', user: MEMBER, query: 'limit=10' },
  { name: 'member, page 2', user: MEMBER, query: 'limit=10', secondPage: true },
  {
    name: 'member, state=succeeded',
    user: MEMBER,
    query: 'state=succeeded&limit=10',
  },
];

async function get(backend: ChildBackend, user: string, query: string) {
  const res = await fetch(`${backend.base}/transfers?${query}`, {
    headers: authHeader(user),
  });
  const body = await res.json();
  if (res.status !== 200)
    throw new Error(
      `GET /transfers?${query}: ${res.status} ${JSON.stringify(body)}`,
    );
  return body as { items: unknown[]; nextCursor?: string };
}

/** The query as asked in the measured rounds: a second page carries the first page's cursor. */
async function resolve(backend: ChildBackend, q: Query): Promise<string> {
  if (!q.secondPage) return q.query;
  const first = await get(backend, q.user, q.query);
  if (!first.nextCursor) throw new Error(`${q.name}: no second page`);
  return `${q.query}&cursor=${encodeURIComponent(first.nextCursor)}`;
}

export function p95(ms: number[]): number {
  const s = [...ms].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)];
}

interface Store {
  rows: number;
  db: BenchDatabase;
  backend: ChildBackend;
  queries: string[];
  ms: number[][];
}

async function openStore(engine: Engine, rows: number): Promise<Store> {
  const db = await createDatabase(engine, `list${rows}`);
  let backend: ChildBackend | undefined;
  try {
    const t0 = performance.now();
    await insertRows(db.knex, 0, rows);
    // what autovacuum does after a bulk load; SQLite has no such thing, and a portal's SQLite never runs it
    if (engine === 'postgres') await db.knex.raw('ANALYZE transfers');
    process.stdout.write(
      `${engine}: ${rows} transfers stored in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );
    backend = await startChildBackend(db);
    const queries = [];
    for (const q of MIX) queries.push(await resolve(backend, q));
    return { rows, db, backend, queries, ms: MIX.map(() => []) };
  } catch (e) {
    await backend?.stop();
    await db.drop();
    throw e;
  }
}

async function closeStore(s: Store | undefined) {
  await s?.backend.stop();
  await s?.db.drop();
}

export interface ListResult {
  figure: Figure;
  /** the 100k store, left open for the export (closed by the caller) */
  large: { db: BenchDatabase };
}

/** p95 of the mix on `small` and `large` rows: the figure, and the large database for the export. */
export async function listFigure(
  engine: Engine,
  o: { small: number; large: number; rounds: number },
): Promise<ListResult> {
  let small: Store | undefined;
  let large: Store | undefined;
  try {
    small = await openStore(engine, o.small);
    large = await openStore(engine, o.large);
    // the first round warms both backends (JIT, catalog, connection pools) and is not counted
    for (let round = 0; round <= o.rounds; round++) {
      const order = round % 2 ? [large, small] : [small, large];
      for (const [i, q] of MIX.entries())
        for (const s of order) {
          const t0 = performance.now();
          await get(s.backend, q.user, s.queries[i]);
          if (round > 0) s.ms[i].push(performance.now() - t0);
        }
    }
    const all = (s: Store) => s.ms.flat();
    for (const [i, q] of MIX.entries())
      process.stdout.write(
        `  ${engine} ${q.name.padEnd(34)} p95 ${p95(small.ms[i]).toFixed(1)} ms (${o.small}) vs ${p95(large.ms[i]).toFixed(1)} ms (${o.large})\n`,
      );
    const [a, b] = [p95(all(small)), p95(all(large))];
    const figure: Figure = {
      figure: `list p95 ${label(o.large)}/${label(o.small)} (${engine})`,
      value: b / a,
      target: '<=2',
      note: `p95 ${b.toFixed(1)} ms vs ${a.toFixed(1)} ms; ${MIX.length} queries x ${o.rounds} rounds, interleaved`,
    };
    await small.backend.stop();
    await small.db.drop();
    small = undefined;
    await large.backend.stop();
    const result = { figure, large: { db: large.db } };
    large = undefined;
    return result;
  } finally {
    await closeStore(small);
    await closeStore(large);
  }
}

export const label = (n: number) =>
  n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
