/**
 * The backend's API at scale (issue 16), every figure a ratio or a growth measured in this run:
 * - the list route's p95 over a mix of a portal's queries (an admin's audit view and a team member's,
 *   first pages, a page further by cursor, state and requester filters) with 100,000 stored transfers as
 *   a ratio to its p95 with 1,000, on SQLite (a file) and PostgreSQL (a database of its own), each store
 *   behind a backend process of its own, rounds interleaved;
 * - the audit CSV export of the 100,000 as an admin: the backend process's peak RSS growth over its RSS
 *   just before (median of fresh backends), each export's row count checked;
 * - a tiny copy on two kube-sim clusters from approval to `succeeded` through the real worker, as a ratio
 *   to the same engine run called directly, median of interleaved rounds.
 * Knobs: BENCH_API_ROWS (default 100000; the small store is 1000), BENCH_API_LIST_ROUNDS (default 30),
 * BENCH_API_CSV_ROUNDS (exports, default 3), BENCH_API_ROUNDS (tiny copy rounds, default 3),
 * BENCH_API_ONLY (a comma-separated subset of list, csv, copy), BENCH_API_POSTGRES (default
 * postgresql://postgres:postgres@127.0.0.1:5432), BENCH_API_BACKEND_NODE_ARGS (node's options for the
 * backend processes, to look into them: e.g. --trace-gc).
 */
import { report, type Figure } from './lib';
import type { Engine } from './api/backend';
import { copyFigure } from './api/copy';
import { csvFigure } from './api/csv';
import { label, listFigure } from './api/list';

const LARGE = Number(process.env.BENCH_API_ROWS ?? 100_000);
const SMALL = Math.min(1_000, LARGE);
const LIST_ROUNDS = Math.max(
  1,
  Number(process.env.BENCH_API_LIST_ROUNDS ?? 30),
);
const CSV_ROUNDS = Math.max(1, Number(process.env.BENCH_API_CSV_ROUNDS ?? 3));
const COPY_ROUNDS = Math.max(1, Number(process.env.BENCH_API_ROUNDS ?? 3));
const ONLY = new Set(
  (process.env.BENCH_API_ONLY ?? 'list,csv,copy').split(',').map(s => s.trim()),
);

async function main() {
  const figures: Figure[] = [];
  for (const engine of ['sqlite', 'postgres'] as Engine[]) {
    if (!ONLY.has('list') && !ONLY.has('csv')) break;
    const { figure, large } = await listFigure(engine, {
      small: SMALL,
      large: LARGE,
      rounds: ONLY.has('list') ? LIST_ROUNDS : 1,
    });
    try {
      if (ONLY.has('list')) figures.push(figure);
      if (ONLY.has('csv'))
        figures.push(await csvFigure(large.db, LARGE, CSV_ROUNDS));
    } finally {
      await large.db.drop();
    }
  }
  if (ONLY.has('copy')) figures.push(await copyFigure(COPY_ROUNDS));
  report(`api (${label(LARGE)} stored transfers)`, figures);
}

main().catch(e => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
