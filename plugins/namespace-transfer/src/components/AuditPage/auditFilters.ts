import {
  listQueryParams,
  listQuerySchema,
  type ListQuery,
  type TransferState,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/*
 * The audit view's filters live in the URL query with the API's own names and formats (a view can be
 * shared and survives a reload), and are read back through the API's schema: what the API would refuse
 * is left out with the schema's message.
 */

/** What the audit list is filtered and sorted by: the list query without its paging. */
export type AuditFilters = Omit<ListQuery, 'limit' | 'cursor'>;

/** The filters without the sort, as the counts by state take them (and without the states they count). */
export type CountFilters = Omit<AuditFilters, 'sort' | 'order' | 'state'>;

export type FilterKey = keyof AuditFilters;

export const FILTER_KEYS: readonly FilterKey[] = [
  'state',
  'cluster',
  'namespace',
  'entityRef',
  'requester',
  'approver',
  'createdAfter',
  'createdBefore',
  'sort',
  'order',
];

/** The schema's message for one filter's value, undefined when the API would take it. */
export function filterProblem(
  key: FilterKey,
  value: unknown,
): string | undefined {
  const result = listQuerySchema.shape[key].safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}

/** The filters a URL query holds, and a message for each value the API would refuse (left out). */
export function filtersFromParams(params: URLSearchParams): {
  filters: AuditFilters;
  problems: string[];
} {
  const filters: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const key of FILTER_KEYS) {
    const values = params.getAll(key);
    if (values.length === 0) continue;
    const value = key === 'state' || values.length > 1 ? values : values[0];
    const result = listQuerySchema.shape[key].safeParse(value);
    if (result.success) filters[key] = result.data;
    else problems.push(result.error.issues[0]?.message ?? `bad ${key}`);
  }
  return { filters: filters as AuditFilters, problems };
}

/** The URL query of the filters, keeping the parameters that are not filters (e.g. the charts' period). */
export function paramsWithFilters(
  current: URLSearchParams,
  filters: AuditFilters,
): URLSearchParams {
  const next = listQueryParams(filters);
  current.forEach((value, key) => {
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      next.append(key, value);
    }
  });
  return next;
}

/** The filters with one state added or taken out (no state left: no state filter). */
export function toggleState(
  filters: AuditFilters,
  state: TransferState,
): AuditFilters {
  const states = filters.state ?? [];
  const next = states.includes(state)
    ? states.filter(s => s !== state)
    : [...states, state];
  return { ...filters, state: next.length > 0 ? next : undefined };
}

/** What the counts by state are asked with. */
export function countFiltersOf(filters: AuditFilters): CountFilters {
  const { state: _state, sort: _sort, order: _order, ...rest } = filters;
  return rest;
}
