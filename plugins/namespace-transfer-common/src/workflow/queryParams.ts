import { listQuerySchema, type EventsQuery, type ListQuery } from './query';

// The schema's own key order, so that a URL reads the same for the same filters (links, caches, tests).
const LIST_KEYS = Object.keys(listQuerySchema.shape) as Array<keyof ListQuery>;

/**
 * The query string of `GET /transfers`, `GET /approvals/pending` and the CSV export for a {@link ListQuery},
 * as {@link listQuerySchema} reads it back: several states as repeated `state` parameters, every other
 * filter once. An empty state list means no state filter and is left out (sent, it would match nothing).
 *
 * @public
 */
export function listQueryParams(query: ListQuery = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of LIST_KEYS) {
    const value = query[key];
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value])
      params.append(key, String(v));
  }
  return params;
}

/**
 * The query string of `GET /transfers/{id}/events` for an {@link EventsQuery}.
 *
 * @public
 */
export function eventsQueryParams(query: EventsQuery = {}): URLSearchParams {
  const params = new URLSearchParams();
  if (query.after !== undefined) params.append('after', query.after);
  if (query.limit !== undefined) params.append('limit', String(query.limit));
  return params;
}
