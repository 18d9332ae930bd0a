/**
 * One model of what went wrong in a call to a cluster's API, shared by the engine's retries and by every
 * caller that has to tell a person (the portal, the CLI): the API server answered with an HTTP status, or
 * the connection failed (unreachable, timed out, or its TLS certificate could not be verified).
 */

/** Socket failures on the way to the API server: it may be back in a moment. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Certificate failures: no retry cures them; the CA (caData/caFile) or the server's certificate must change. */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const isTlsCode = (code: string) =>
  TLS_CODES.has(code) || code.startsWith('ERR_SSL_');

const isKnownCode = (code: string) =>
  UNREACHABLE_CODES.has(code) || TIMEOUT_CODES.has(code) || isTlsCode(code);

interface ErrorLike {
  code?: number | string;
  statusCode?: number;
  headers?: Record<string, string | undefined>;
  body?: unknown;
  cause?: unknown;
  reason?: unknown;
  type?: string;
  name?: string;
  message?: string;
}

/**
 * HTTP status of a client-node ApiException (or a similar error), if any.
 *
 * @public
 */
export function httpStatus(error: unknown): number | undefined {
  const e = error as ErrorLike | undefined;
  if (!e || typeof e !== 'object') return undefined;
  if (typeof e.code === 'number') return e.code;
  if (typeof e.statusCode === 'number') return e.statusCode;
  return undefined;
}

/**
 * The code of the connection failure behind an error, looking through the wrappers (node-fetch's
 * FetchError `{ type: 'system', code }`, undici's `TypeError('fetch failed', { cause })`).
 *
 * @public
 */
export function connectionErrorCode(
  error: unknown,
  depth = 0,
): string | undefined {
  const e = error as ErrorLike | undefined;
  if (!e || typeof e !== 'object' || depth > 4) return undefined;
  if (typeof e.code === 'string' && isKnownCode(e.code)) return e.code;
  // a caller's abort is no connection failure (node-fetch's own AbortError has type 'aborted')
  if (e.name === 'AbortError' && e.type !== 'aborted') return undefined;
  if (e.type === 'request-timeout' || e.name === 'TimeoutError')
    return 'ETIMEDOUT';
  if (e.type === 'system' && typeof e.code === 'string') return e.code;
  return connectionErrorCode(e.cause ?? e.reason, depth + 1);
}

/**
 * The message of a Kubernetes `Status` body, which says e.g. which verb on which resource was forbidden.
 *
 * @public
 */
export function statusMessage(error: unknown): string | undefined {
  const body = (error as ErrorLike | undefined)?.body;
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.trim() || undefined;
    }
  }
  if (
    parsed &&
    typeof parsed === 'object' &&
    typeof (parsed as { message?: unknown }).message === 'string'
  ) {
    return (parsed as { message: string }).message;
  }
  return undefined;
}

/** @public */
export type ClusterFailureKind =
  /** the API server answered with an error status */
  | 'http'
  /** the connection failed or dropped */
  | 'unreachable'
  /** the connection or the call took too long */
  | 'timeout'
  /** the server's TLS certificate could not be verified */
  | 'tls'
  /** anything else (a bug, a failure of the caller's own) */
  | 'other';

/** @public */
export interface ClusterFailure {
  kind: ClusterFailureKind;
  /** the HTTP status, for kind `http` */
  status?: number;
  /** the connection error code (ECONNREFUSED, CERT_HAS_EXPIRED, ...) */
  code?: string;
  /** the API server's own explanation (its Status message), for kind `http` */
  detail?: string;
  /** the error's own message */
  message: string;
  /** whether the same call may succeed if tried again (see withRetry) */
  transient: boolean;
}

/**
 * What went wrong in a call to a cluster, in the one model the engine retries by and callers report.
 *
 * @public
 */
export function describeFailure(error: unknown): ClusterFailure {
  const message = error instanceof Error ? error.message : String(error);
  const status = httpStatus(error);
  if (status !== undefined) {
    return {
      kind: 'http',
      status,
      detail: statusMessage(error),
      message,
      transient: status === 429 || status === 408 || status >= 500,
    };
  }
  const code = connectionErrorCode(error);
  if (code === undefined) return { kind: 'other', message, transient: false };
  if (isTlsCode(code)) return { kind: 'tls', code, message, transient: false };
  if (TIMEOUT_CODES.has(code))
    return { kind: 'timeout', code, message, transient: true };
  if (UNREACHABLE_CODES.has(code))
    return { kind: 'unreachable', code, message, transient: true };
  // another failure of the socket (node-fetch's type 'system'): worth another try
  return { kind: 'other', code, message, transient: true };
}

/**
 * 429, 408, 5xx, dropped or timed-out connections; never a certificate failure or another 4xx.
 *
 * @public
 */
export function isTransient(error: unknown): boolean {
  return describeFailure(error).transient;
}

/** @public */
export function isConflict(error: unknown): boolean {
  return httpStatus(error) === 409;
}

/**
 * Retry-After in milliseconds (seconds or an HTTP date), if the server sent one.
 *
 * @public
 */
export function retryAfterMs(
  error: unknown,
  now = Date.now(),
): number | undefined {
  const headers = (error as ErrorLike | undefined)?.headers;
  if (!headers) return undefined;
  const value = headers['retry-after'] ?? headers['Retry-After'];
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const STATUS_WORDS: Record<number, string> = {
  400: 'bad request',
  401: 'unauthorized (the token is not accepted)',
  403: 'forbidden',
  404: 'not found',
  409: 'conflict',
  422: 'invalid',
  429: 'too many requests',
  500: 'the API server failed',
  503: 'the API server is unavailable',
};

/** The API server's RBAC refusal: `User "u" cannot verb resource "r" in API group "g" in the namespace "n"`. */
const FORBIDDEN =
  /User "([^"]+)" cannot (\w+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)"| at the cluster scope)?/;

/**
 * What went wrong, in one line a person can act on: a refusal says who may not do what where
 * (`forbidden: cannot create services in namespace x (as system:serviceaccount:…)`), another HTTP error
 * its status and the API server's own message; never the client library's dump of status, body and
 * headers.
 *
 * @public
 */
export function readableError(error: unknown): string {
  const f = describeFailure(error);
  if (f.kind !== 'http') return f.message.replace(/\s*\n\s*/g, ' ');
  const detail = f.detail?.replace(/\s*\n\s*/g, ' ');
  const m = detail ? FORBIDDEN.exec(detail) : null;
  if (f.status === 403 && m) {
    const [, user, verb, resource, group, namespace] = m;
    const what = group ? `${resource}.${group}` : resource;
    const where = namespace ? `in namespace ${namespace}` : 'cluster-wide';
    return `forbidden: cannot ${verb} ${what} ${where} (as ${user})`;
  }
  const reason = STATUS_WORDS[f.status ?? 0] ?? `HTTP ${f.status}`;
  return detail ? `${reason}: ${detail}` : reason;
}
