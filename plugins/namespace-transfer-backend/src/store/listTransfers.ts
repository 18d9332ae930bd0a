import type { Knex } from 'knex';
import { InputError } from '@backstage/errors';
import { decodeCursor, encodeCursor } from './cursor';
import {
  EXPORT_COLUMNS,
  exportRowFromRow,
  toDate,
  transferFromRow,
  TransferRow,
} from './rows';
import type {
  ExportRow,
  ListPage,
  ListRequest,
  SortField,
  Transfer,
  TransferFilter,
} from './types';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

const SORT_COLUMNS: Record<SortField, string> = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  state: 'state',
  requester: 'requester',
};

const TIME_FIELDS: readonly SortField[] = ['createdAt', 'updatedAt'];

export function applyFilter(
  q: Knex.QueryBuilder,
  f: TransferFilter = {},
): Knex.QueryBuilder {
  if (f.state?.length) q.whereIn('state', f.state);
  if (f.cluster)
    q.where(b =>
      b
        .where('source_cluster', f.cluster!)
        .orWhere('destination_cluster', f.cluster!),
    );
  if (f.namespace)
    q.where(b =>
      b
        .where('source_namespace', f.namespace!)
        .orWhere('destination_namespace', f.namespace!),
    );
  if (f.requester) q.where('requester', f.requester);
  if (f.approver)
    q.whereExists(function approvedBy() {
      this.select('id')
        .from('decisions')
        .whereRaw('decisions.transfer_id = transfers.id')
        .where({ kind: 'approve', actor: f.approver });
    });
  if (f.entityRefs)
    q.where(b =>
      b
        .whereIn('source_entity_ref', f.entityRefs!)
        .orWhereIn('destination_entity_ref', f.entityRefs!),
    );
  if (f.sourceEntityRefs) q.whereIn('source_entity_ref', f.sourceEntityRefs);
  if (f.batchId) q.where('batch_id', f.batchId);
  if (f.visibleTo) {
    const { userRef, ownedEntityRefs } = f.visibleTo;
    q.where(b =>
      b
        .where('requester', userRef)
        .orWhereIn('source_entity_ref', ownedEntityRefs)
        .orWhereIn('destination_entity_ref', ownedEntityRefs),
    );
  }
  if (f.createdAfter) q.where('created_at', '>=', f.createdAfter);
  if (f.createdBefore) q.where('created_at', '<', f.createdBefore);
  if (f.requestedVia) q.where('requested_via', f.requestedVia);
  return q;
}

/** How a page reads its rows: what it selects, where a sort field's value is in a row, what a row becomes. */
interface RowShape<T> {
  columns: string[] | Record<string, string>;
  sortKeys: Record<SortField, string>;
  fromRow: (r: TransferRow) => T;
}

/** The cursor's value of a row: a time as epoch milliseconds, whichever way the database answered it. */
function sortValue(v: unknown, field: SortField): string | number {
  return TIME_FIELDS.includes(field) ? toDate(v)!.getTime() : String(v);
}

/** One page of transfers in a stable order (the sort column, then id), after the cursor's row. */
export function listTransfers(
  db: Knex,
  request: ListRequest,
): Promise<ListPage<Transfer>> {
  return pageOf(db, request, {
    columns: ['*'],
    sortKeys: SORT_COLUMNS,
    fromRow: transferFromRow,
  });
}

const EXPORT_SORT_KEYS: Record<SortField, keyof ExportRow> = {
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  state: 'state',
  requester: 'requester',
};

/**
 * The same page as the audit export reads it: only the CSV's columns, already under its names, neither
 * the large JSON columns (their garbage grew the backend by 50 to 280 MiB per 100,000 rows) nor a
 * TransferRecord built for each row.
 */
export function listExportRows(
  db: Knex,
  request: ListRequest,
): Promise<ListPage<ExportRow>> {
  return pageOf(db, request, {
    columns: EXPORT_COLUMNS,
    sortKeys: EXPORT_SORT_KEYS,
    fromRow: exportRowFromRow,
  });
}

async function pageOf<T>(
  db: Knex,
  request: ListRequest,
  shape: RowShape<T>,
): Promise<ListPage<T>> {
  const field = request.sort?.field ?? 'createdAt';
  const order = request.sort?.order ?? 'desc';
  const limit = request.limit ?? DEFAULT_PAGE_SIZE;
  if (!SORT_COLUMNS[field])
    throw new InputError(
      `cannot sort by ${field}: sort by ${Object.keys(SORT_COLUMNS).join(', ')}`,
    );
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new InputError(
      `the page size must be a whole number from 1 to ${MAX_PAGE_SIZE} (got ${limit})`,
    );
  const column = SORT_COLUMNS[field];
  const q = applyFilter(
    db<TransferRow>('transfers').select(shape.columns),
    request.filter,
  );

  if (request.cursor) {
    const c = decodeCursor(request.cursor, { field, order });
    const value = TIME_FIELDS.includes(field) ? new Date(c.value) : c.value;
    const after = order === 'asc' ? '>' : '<';
    // a row comparison, not `col < v OR (col = v AND id < c)`: PostgreSQL starts the index scan at the
    // cursor with it, where the OR made it walk every row before the cursor again (a 100,000-row export
    // took 86 s in pages of 100); SQLite reads row values the same way
    q.whereRaw(`(??, ??) ${after} (?, ?)`, [column, 'id', value, c.id]);
  }
  // one row more than asked tells whether another page follows
  const rows = await q
    .orderBy([
      { column, order },
      { column: 'id', order },
    ])
    .limit(limit + 1);
  const page: TransferRow[] = rows.slice(0, limit);
  // read before the rows become items: an export's rows are changed in place
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor({
          field,
          order,
          value: sortValue(last[shape.sortKeys[field]], field),
          id: last.id,
        })
      : undefined;
  return { items: page.map(shape.fromRow), nextCursor };
}
