import type { Knex } from 'knex';
import { csvRow, CSV_COLUMNS, CsvRow } from '../service/views';
import { TransferStore } from './TransferStore';
import { migrateToLatest } from './migrate';
import {
  clientOf,
  expectedClient,
  storeTestDatabases,
} from './__testUtils__/databases';
import { ManualClock, newTransfer } from './__testUtils__/transfers';
import type { ExportRow, ListRequest, SortField, Transfer } from './types';

const databases = storeTestDatabases();
const PORTAL = 'https://portal.example/namespace-transfer/transfers/';

/** The export's cells as they were built from a whole stored transfer, before the export read lean rows. */
function cellsOf(t: Transfer): CsvRow {
  const text = (v: unknown) => {
    if (v === undefined || v === null) return '';
    return v instanceof Date ? v.toISOString() : String(v);
  };
  return {
    id: t.id,
    batchId: text(t.batchId),
    state: t.state,
    phase: text(t.phase),
    requester: t.requester,
    approvedBy: t.approvedBy.join(' '),
    sourceCluster: t.source.cluster,
    sourceNamespace: t.source.namespace,
    sourceClaim: t.source.claim,
    sourceEntity: t.source.entityRef,
    destinationCluster: t.destination.cluster,
    destinationNamespace: t.destination.namespace,
    destinationClaim: t.destination.claim,
    destinationEntity: t.destination.entityRef,
    requestedMode: t.requestedMode,
    chosenMode: text(t.chosenMode),
    intent: t.intent,
    attempt: String(t.attempt),
    bytesDone: text(t.progress.bytesDone),
    downtimeMs: text(t.downtimeMs),
    createdAt: text(t.createdAt),
    startedAt: text(t.startedAt),
    finishedAt: text(t.finishedAt),
    error: text(t.error),
    url: `${PORTAL}${encodeURIComponent(t.id)}`,
    comment: text(t.comment),
    requestedVia: t.requestedVia,
  };
}

describe.each(databases.eachSupportedId())('export rows on %s', id => {
  let db: Knex;
  let store: TransferStore;
  const clock = new ManualClock(new Date('2026-11-01T00:00:00.123Z'));
  let ran: Transfer;

  /** a batch of two (one of them run, failed and approved twice) and a lone request, a minute apart */
  beforeAll(async () => {
    db = await databases.init(id);
    if (clientOf(db) !== expectedClient(id))
      throw new Error(`${id} gave a ${clientOf(db)} database`);
    await migrateToLatest(db);
    store = new TransferStore(db, { now: clock.now });
    const claim = (name: string) =>
      newTransfer({
        source: { ...newTransfer().source, claim: name },
        destination: { ...newTransfer().destination, claim: name },
        comment: `why ${name}, "really"`,
      });
    const { transfers } = await store.createBatch(
      {
        requester: 'user:default/alice',
        source: { cluster: 'east', namespace: 'payments' },
        destinationEntityRef: 'component:default/payments-next',
      },
      [claim('a-data'), claim('b-data')],
    );
    clock.advance(60_000);
    await store.createTransfer(
      newTransfer({ requester: 'user:default/carol' }),
    );
    // what a run leaves, written straight into the row: this test reads, the worker's writes are tested elsewhere
    await db('transfers')
      .where({ id: transfers[0].id })
      .update({
        state: 'failed',
        phase: 'Syncing',
        chosen_mode: 'copy',
        attempt: 2,
        approved_by: JSON.stringify(['user:default/dave', 'user:default/erin']),
        // beyond 32 bits: PostgreSQL answers a bigint as a string
        bytes_done: 5_000_000_123,
        downtime_ms: 1500,
        started_at: new Date('2026-11-01T00:02:00.456Z'),
        finished_at: new Date('2026-11-01T00:03:00.789Z'),
        updated_at: new Date('2026-11-01T00:03:00.789Z'),
        error: '=cmd|x, "quoted"',
      });
    ran = await store.get(transfers[0].id);
  });

  const everyRow = async (request: ListRequest = {}) => {
    const rows: ExportRow[] = [];
    const full: Transfer[] = [];
    let cursor: string | undefined;
    do {
      const [lean, page] = await Promise.all([
        store.listExportRows({ ...request, cursor }),
        store.list({ ...request, cursor }),
      ]);
      expect(lean.nextCursor).toEqual(page.nextCursor);
      rows.push(...lean.items);
      full.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return { rows, full };
  };

  it('reads the same transfers, in the same order and pages, as the list', async () => {
    for (const field of [
      'createdAt',
      'updatedAt',
      'state',
      'requester',
    ] as SortField[])
      for (const order of ['asc', 'desc'] as const) {
        const { rows, full } = await everyRow({
          sort: { field, order },
          limit: 1,
        });
        expect(rows.map(r => r.id)).toEqual(full.map(t => t.id));
        expect(rows).toHaveLength(3);
      }
    const { rows } = await everyRow({
      filter: { requester: 'user:default/carol' },
    });
    expect(rows.map(r => r.requester)).toEqual(['user:default/carol']);
  });

  it('gives each row the same values on either database: times as ISO, numbers, the approvers, nulls', async () => {
    const { rows } = await everyRow();
    const row = rows.find(r => r.id === ran.id);
    expect(row).toEqual({
      id: ran.id,
      batchId: ran.batchId,
      state: 'failed',
      phase: 'Syncing',
      requester: 'user:default/alice',
      approvedBy: ['user:default/dave', 'user:default/erin'],
      sourceCluster: ran.source.cluster,
      sourceNamespace: ran.source.namespace,
      sourceClaim: 'a-data',
      sourceEntity: ran.source.entityRef,
      destinationCluster: ran.destination.cluster,
      destinationNamespace: ran.destination.namespace,
      destinationClaim: 'a-data',
      destinationEntity: ran.destination.entityRef,
      requestedMode: ran.requestedMode,
      chosenMode: 'copy',
      intent: ran.intent,
      attempt: 2,
      bytesDone: 5_000_000_123,
      downtimeMs: 1500,
      createdAt: '2026-11-01T00:00:00.123Z',
      updatedAt: '2026-11-01T00:03:00.789Z',
      startedAt: '2026-11-01T00:02:00.456Z',
      finishedAt: '2026-11-01T00:03:00.789Z',
      error: '=cmd|x, "quoted"',
      comment: 'why a-data, "really"',
      requestedVia: 'portal',
    });
    const lone = rows.find(r => r.requester === 'user:default/carol');
    expect(lone).toMatchObject({
      batchId: null,
      phase: null,
      approvedBy: [],
      chosenMode: null,
      attempt: 1,
      bytesDone: null,
      downtimeMs: null,
      startedAt: null,
      finishedAt: null,
      error: null,
      comment: null,
    });
  });

  it('makes the cells the whole stored transfer made', async () => {
    const { rows, full } = await everyRow();
    const cells = rows.map(r => csvRow(r, PORTAL));
    // what the CSV writes of each: its columns, in order
    const written = (c: CsvRow) => CSV_COLUMNS.map(column => c[column]);
    expect(cells.map(written)).toEqual(full.map(t => written(cellsOf(t))));
    expect(cells.find(c => c.id === ran.id)).toMatchObject({
      approvedBy: 'user:default/dave user:default/erin',
      bytesDone: '5000000123',
      attempt: '2',
    });
  });
});
