/**
 * What an API call's failure means, for errors from @kubernetes/client-node (ApiException: `code`, the
 * Status as a JSON `body`), from its Watch (`statusCode`) and from the controllers' RestClient (ApiError:
 * `code`, `reason`). Controllers, kubelet and network branch on these the same way.
 */
export function httpStatusOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown } | null | undefined;
  if (!e) return undefined;
  if (typeof e.code === 'number') return e.code;
  return typeof e.statusCode === 'number' ? e.statusCode : undefined;
}

/** The Status reason (`Conflict`, `AlreadyExists`, ...) when the error carries one. */
export function reasonOf(err: unknown): string | undefined {
  const e = err as { reason?: unknown; body?: unknown } | null | undefined;
  if (typeof e?.reason === 'string') return e.reason;
  let body = e?.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const reason = (body as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** A write rejected for a stale resourceVersion (409 Conflict), not a create of an existing name. */
export function isConflict(err: unknown): boolean {
  return httpStatusOf(err) === 409 && reasonOf(err) !== 'AlreadyExists';
}

export function describeError(err: unknown): string {
  const status = httpStatusOf(err);
  const message = err instanceof Error ? err.message : JSON.stringify(err);
  return status ? `HTTP ${status}: ${message.split('\n')[0]}` : message;
}
