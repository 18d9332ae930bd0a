/**
 * Stored transfers as a portal accumulates them over two years: most succeeded, some failed, rejected,
 * expired or cancelled, a few still open; spread over clusters, team namespaces, components and
 * requesters. Row i is the same in every database, so the 1,000-row store is the first 1,000 rows of the
 * 100,000-row one (times are drawn at random, so those rows are a sample of the same two years).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { realisticPlan } from '../../plugins/namespace-transfer-backend/src/store/__testUtils__/transfers';

export const COMPONENTS = 500;
export const TEAMS = 100;
const USERS = 400;
const CLUSTERS = ['east', 'west', 'central', 'edge-1', 'edge-2'];
const DAY = 86_400_000;
const SPAN_DAYS = 730;
/** every row is older than this, so a request still pending never expires while the bench runs */
export const NEWEST = new Date('2026-11-30T00:00:00Z');

/** cumulative weights of the states a transfer ends in */
const ENDED_STATES: Array<[string, number]> = [
  ['succeeded', 0.7],
  ['failed', 0.79],
  ['rejected', 0.87],
  ['expired', 0.95],
  ['cancelled', 1],
];
/**
 * A request is open only while it is young: pending ones expire within a week, staged ones are cut over
 * within days, and approved and running ones are today's (the worker's concurrency bounds them).
 */
const OPEN_STATES: Array<[string, number, number]> = [
  ['pending-approval', 0.12, 7],
  ['approved', 0.14, 1],
  ['running', 0.17, 1],
  ['staged', 0.22, 3],
];
const ENDED = new Set(['succeeded', 'failed', 'cancelled']);

export const componentRef = (c: number) =>
  `component:default/svc-${String(c).padStart(3, '0')}`;
export const teamRef = (t: number) =>
  `group:default/team-${String(t).padStart(3, '0')}`;
export const userRef = (u: number) =>
  `user:default/user-${String(u).padStart(3, '0')}`;
/** component c belongs to team c % TEAMS, and user u to team u % TEAMS */
export const teamOfComponent = (c: number) => c % TEAMS;

/** Numbers in [0, 1) that depend on the row only (mulberry32 seeded by a hash of i): the same in every run. */
function draws(i: number): () => number {
  let a = createHash('sha256')
    .update(`bench-api-row-${i}`)
    .digest()
    .readUInt32BE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function uuidOf(i: number): string {
  const h = createHash('sha1').update(`bench-api-id-${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function stateOf(open: number, ended: number, ageDays: number): string {
  const young = OPEN_STATES.find(
    ([, upTo, days]) => open < upTo && ageDays < days,
  );
  return young ? young[0] : ENDED_STATES.find(([, upTo]) => ended < upTo)![0];
}

/** The columns of row i, as the store writes them (see newTransferColumns and transitions). */
export function transferRow(i: number): Record<string, unknown> {
  const next = draws(i);
  const created = new Date(
    NEWEST.getTime() - Math.floor(next() * SPAN_DAYS * DAY),
  );
  const state = stateOf(
    next(),
    next(),
    (NEWEST.getTime() - created.getTime()) / DAY,
  );
  const c = Math.floor(next() * COMPONENTS);
  const dest = (c + 1 + Math.floor(next() * 20)) % COMPONENTS;
  const srcCluster = CLUSTERS[Math.floor(next() * CLUSTERS.length)];
  const dstCluster = CLUSTERS[Math.floor(next() * CLUSTERS.length)];
  const requester = userRef(Math.floor(next() * USERS));
  const claim = `data-${i % 7}`;
  const ns = (k: number) =>
    `team-${String(teamOfComponent(k)).padStart(3, '0')}-svc-${k}`;
  const plan = {
    ...realisticPlan(claim),
    source: {
      ...realisticPlan(claim).source,
      cluster: srcCluster,
      namespace: ns(c),
    },
  };
  const started =
    state === 'pending-approval' || state === 'rejected' || state === 'expired'
      ? null
      : new Date(created.getTime() + 3_600_000);
  const finished = ENDED.has(state)
    ? new Date(created.getTime() + 3_600_000 + Math.floor(next() * 7_200_000))
    : null;
  const bytes = Math.floor(next() * 50 * 2 ** 30);
  return {
    id: uuidOf(i),
    batch_id: null,
    source_cluster: srcCluster,
    source_namespace: ns(c),
    source_claim: claim,
    source_entity_ref: componentRef(c),
    destination_cluster: dstCluster,
    destination_namespace: ns(dest),
    destination_claim: claim,
    destination_storage_class: 'standard',
    destination_size: '50Gi',
    destination_entity_ref: componentRef(dest),
    requested_mode: 'auto',
    chosen_mode: started
      ? srcCluster === dstCluster
        ? 'rebind'
        : 'copy'
      : null,
    intent: next() < 0.7 ? 'move' : 'clone',
    options: JSON.stringify({ verify: 'sample', stage: next() < 0.3 }),
    plan: JSON.stringify(plan),
    requester,
    state,
    phase:
      state === 'succeeded'
        ? 'Succeeded'
        : state === 'running'
          ? 'Syncing'
          : null,
    bytes_done: finished ? bytes : null,
    bytes_total: started ? bytes : null,
    attempt: state === 'failed' && next() < 0.3 ? 2 : 1,
    engine_transfer_id: uuidOf(i + 10_000_000),
    downtime_ms: state === 'succeeded' ? Math.floor(next() * 60_000) : null,
    error:
      state === 'failed'
        ? 'rsync exited 23: some files could not be transferred (permission denied on 3 files)'
        : null,
    lease_epoch: started ? 1 : 0,
    cancel_requested: false,
    past_point_of_no_return: state === 'succeeded',
    approved_by: started ? JSON.stringify([userRef((c * 7) % USERS)]) : '[]',
    created_at: created,
    updated_at: finished ?? started ?? created,
    started_at: started,
    finished_at: finished,
    expires_at:
      state === 'pending-approval' ? new Date(Date.now() + 30 * DAY) : null,
    cutover_at: null,
  };
}

/** Rows [from, to) of the store, inserted in bulk (a few hundred per statement, under both drivers' limits). */
export async function insertRows(
  db: Knex,
  from: number,
  to: number,
): Promise<void> {
  const chunk = 5_000;
  for (let start = from; start < to; start += chunk) {
    const rows = [];
    for (let i = start; i < Math.min(to, start + chunk); i++)
      rows.push(transferRow(i));
    await db.batchInsert('transfers', rows, 400);
  }
}
