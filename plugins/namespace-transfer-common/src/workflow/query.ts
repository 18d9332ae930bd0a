import { z } from 'zod';
import {
  clusterNameSchema,
  entityRefSchema,
  namespaceNameSchema,
} from './names';
import { TRANSFER_STATES } from './states';

/** @public */
export const LIST_SORT_FIELDS = [
  'createdAt',
  'updatedAt',
  'state',
  'requester',
] as const;

const time = (what: string) =>
  z.string().datetime({
    offset: true,
    message: `${what} must be an ISO 8601 time with a zone, e.g. 2026-12-01T00:00:00Z`,
  });

/** A query parameter given once or several times (`?state=a&state=b`) or comma-separated (`?state=a,b`). */
const list = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess(
    v =>
      (Array.isArray(v) ? v : [v])
        .flatMap(s => (typeof s === 'string' ? s.split(',') : [s]))
        .filter(s => s !== ''),
    z.array(item).max(50, 'at most 50 values'),
  );

const single = <T extends z.ZodTypeAny>(schema: T, what: string) =>
  z
    .custom<unknown>(v => !Array.isArray(v), `${what} may be given once`)
    .pipe(schema);

/**
 * Query of `GET /transfers` (and the CSV export): filters, sort, cursor pagination.
 *
 * @public
 */
export const listQuerySchema = z
  .object({
    state: list(
      z.enum(TRANSFER_STATES, {
        errorMap: () => ({
          message: `state must be one of ${TRANSFER_STATES.join(', ')}`,
        }),
      }),
    ).optional(),
    cluster: single(clusterNameSchema('cluster'), 'cluster').optional(),
    namespace: single(namespaceNameSchema('namespace'), 'namespace').optional(),
    requester: single(entityRefSchema('requester'), 'requester').optional(),
    approver: single(entityRefSchema('approver'), 'approver').optional(),
    entityRef: single(entityRefSchema('entityRef'), 'entityRef').optional(),
    requestedVia: single(
      z.enum(['portal', 'kubernetes'], {
        errorMap: () => ({
          message: 'requestedVia must be portal or kubernetes',
        }),
      }),
      'requestedVia',
    ).optional(),
    createdAfter: single(time('createdAfter'), 'createdAfter').optional(),
    createdBefore: single(time('createdBefore'), 'createdBefore').optional(),
    sort: single(
      z.enum(LIST_SORT_FIELDS, {
        errorMap: () => ({
          message: `sort must be one of ${LIST_SORT_FIELDS.join(', ')}`,
        }),
      }),
      'sort',
    ).optional(),
    order: single(
      z.enum(['asc', 'desc'], {
        errorMap: () => ({ message: 'order must be asc or desc' }),
      }),
      'order',
    ).optional(),
    limit: single(
      z.coerce
        .number({ invalid_type_error: 'limit must be a number' })
        .int('limit must be a whole number')
        .min(1, 'limit must be at least 1')
        .max(500, 'limit must be at most 500'),
      'limit',
    ).optional(),
    cursor: single(
      z.string().max(2048, 'cursor is too long'),
      'cursor',
    ).optional(),
  })
  .strict();

/** @public */
export type ListQuery = z.infer<typeof listQuerySchema>;

/**
 * Query of `GET /transfers/{id}/events`.
 *
 * @public
 */
export const eventsQuerySchema = z
  .object({
    after: single(
      z
        .string()
        .regex(/^\d{1,18}$/, 'after must be the id of an event (digits)'),
      'after',
    ).optional(),
    limit: single(
      z.coerce
        .number({ invalid_type_error: 'limit must be a number' })
        .int('limit must be a whole number')
        .min(1, 'limit must be at least 1')
        .max(1000, 'limit must be at most 1000'),
      'limit',
    ).optional(),
  })
  .strict();

/** @public */
export type EventsQuery = z.infer<typeof eventsQuerySchema>;

/**
 * Query of `GET /stats/bytes-per-day`.
 *
 * @public
 */
export const bytesPerDayQuerySchema = z
  .object({
    from: single(time('from'), 'from'),
    to: single(time('to'), 'to'),
  })
  .strict();
