/** The HTTP status of an error thrown by @kubernetes/client-node (ApiException.code) or by a watch. */
export function httpStatusOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown } | null | undefined;
  if (!e) return undefined;
  if (typeof e.code === 'number') return e.code;
  return typeof e.statusCode === 'number' ? e.statusCode : undefined;
}

export function describeError(err: unknown): string {
  const status = httpStatusOf(err);
  const message = err instanceof Error ? err.message : JSON.stringify(err);
  return status ? `HTTP ${status}: ${message.split('\n')[0]}` : message;
}
