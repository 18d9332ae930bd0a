/**
 * Status objects with the reasons, codes and message shapes of the real API server
 * (k8s.io/apimachinery/pkg/api/errors), so clients that branch on `reason` behave as against a real cluster.
 */

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** Thrown anywhere in request handling; the server writes `status` with `status.code`. */
export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? 'error');
  }
  get code(): number {
    return this.status.code;
  }
}

/** A group-qualified resource as used in messages: `pods`, `deployments.apps`. */
export interface GroupResource {
  group: string;
  resource: string;
}

function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function details(
  gr: GroupResource,
  name?: string,
  extra: Partial<StatusDetails> = {},
): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  return { ...d, ...extra };
}

export function failure(
  code: number,
  reason: string,
  message: string,
  det?: StatusDetails,
): ApiError {
  const s: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (det) s.details = det;
  return new ApiError(s);
}

/** A Success Status as the generic registry returns it for a delete: no code field (Go omits the zero value). */
export function successStatus(det?: StatusDetails): Omit<Status, 'code'> {
  const s: Omit<Status, 'code'> = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
  };
  if (det) s.details = det;
  return s;
}

export const notFound = (gr: GroupResource, name: string) =>
  failure(
    404,
    'NotFound',
    `${qualified(gr)} "${name}" not found`,
    details(gr, name),
  );

export const alreadyExists = (gr: GroupResource, name: string) =>
  failure(
    409,
    'AlreadyExists',
    `${qualified(gr)} "${name}" already exists`,
    details(gr, name),
  );

export const conflict = (gr: GroupResource, name: string, why: string) =>
  failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`,
    details(gr, name),
  );

export const STALE_OBJECT =
  'the object has been modified; please apply your changes to the latest version and try again';

export const badRequest = (message: string) =>
  failure(400, 'BadRequest', message);

export const unauthorized = () => failure(401, 'Unauthorized', 'Unauthorized');

export const forbidden = (
  gr: GroupResource,
  name: string | undefined,
  why: string,
) =>
  failure(
    403,
    'Forbidden',
    name
      ? `${qualified(gr)} "${name}" is forbidden: ${why}`
      : `${qualified(gr)} is forbidden: ${why}`,
    details(gr, name),
  );

export const methodNotAllowed = (
  message = 'the server does not allow this method on the requested resource',
) => failure(405, 'MethodNotAllowed', message);

/** Unknown group, version or resource: the real server's generic NotFound without details. */
export const resourceNotFound = () =>
  failure(404, 'NotFound', 'the server could not find the requested resource');

export const expired = (message: string) => failure(410, 'Expired', message);

export const unsupportedMediaType = (accepted: string[]) =>
  failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );

/** A list or watch from a resourceVersion this server has not reached (NewTooLargeResourceVersionError). */
export const tooLargeResourceVersion = (requested: number, current: number) =>
  failure(
    504,
    'Timeout',
    `Timeout: Too large resource version: ${requested}, current: ${current}`,
    {
      causes: [
        {
          reason: 'ResourceVersionTooLarge',
          message: 'Too large resource version',
        },
      ],
      retryAfterSeconds: 1,
    },
  );

export const tooManyRequests = (retryAfterSeconds: number) =>
  failure(
    429,
    'TooManyRequests',
    'Too many requests, please try again later.',
    { retryAfterSeconds },
  );

export const internalError = (message: string) =>
  failure(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ reason: '', message }],
  });

export const notAcceptable = () =>
  failure(
    406,
    'NotAcceptable',
    'only the following media types are accepted: application/json',
  );

/** A field error in the shape of k8s.io/apimachinery/pkg/util/validation/field. */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: unknown;
  detail?: string;
  /** for NotSupported */
  supported?: string[];
}

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueForbidden'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound'
  | 'FieldValueTypeInvalid';

function quoteValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The body of a field error, i.e. the message without the field path (what causes[].message holds). */
export function fieldErrorBody(e: FieldError): string {
  switch (e.type) {
    case 'FieldValueRequired':
      return e.detail ? `Required value: ${e.detail}` : 'Required value';
    case 'FieldValueForbidden':
      return e.detail ? `Forbidden: ${e.detail}` : 'Forbidden';
    case 'FieldValueNotSupported':
      return `Unsupported value: ${quoteValue(e.value)}${
        e.supported?.length
          ? `: supported values: ${e.supported.map(s => JSON.stringify(s)).join(', ')}`
          : ''
      }`;
    case 'FieldValueDuplicate':
      return `Duplicate value: ${quoteValue(e.value)}`;
    case 'FieldValueTooLong':
      return `Too long: ${e.detail ?? ''}`.trim();
    case 'FieldValueTooMany':
      return `Too many: ${quoteValue(e.value)}: ${e.detail ?? ''}`;
    case 'FieldValueNotFound':
      return `Not found: ${quoteValue(e.value)}`;
    case 'FieldValueTypeInvalid':
      return `Invalid value: ${quoteValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    default:
      return `Invalid value: ${quoteValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

export const required = (field: string, detail?: string): FieldError => ({
  type: 'FieldValueRequired',
  field,
  detail,
});
export const invalid = (
  field: string,
  value: unknown,
  detail?: string,
): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value,
  detail,
});
export const forbiddenField = (field: string, detail?: string): FieldError => ({
  type: 'FieldValueForbidden',
  field,
  detail,
});
export const notSupported = (
  field: string,
  value: unknown,
  supported: string[],
): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  supported,
});
/** field.TooMany: a list longer than the API allows */
export const tooMany = (
  field: string,
  actual: number,
  max: number,
): FieldError => ({
  type: 'FieldValueTooMany',
  field,
  value: actual,
  detail: `must have at most ${max} items`,
});
export const duplicate = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  value,
});

/** 422 Invalid: `Kind.group "name" is invalid: [a: ..., b: ...]` with causes. */
export function invalidObject(
  kind: string,
  group: string,
  name: string,
  errs: FieldError[],
): ApiError {
  const msgs = errs.map(e => `${e.field}: ${fieldErrorBody(e)}`);
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const list = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
  const det: StatusDetails = { name, kind };
  if (group) det.group = group;
  det.causes = errs.map(e => ({
    reason: e.type,
    message: fieldErrorBody(e),
    field: e.field,
  }));
  return failure(
    422,
    'Invalid',
    `${qualifiedKind} "${name}" is invalid: ${list}`,
    det,
  );
}

export function toStatus(err: unknown): Status {
  if (err instanceof ApiError) return err.status;
  const message = err instanceof Error ? err.message : String(err);
  return internalError(message).status;
}
