import { ResponseError } from '@backstage/errors';

/** The backend's message of a refused call (its error body), else the error's own. */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The HTTP status of a refused call; undefined for an error that never reached the backend. */
export function errorStatus(error: unknown): number | undefined {
  if (error instanceof ResponseError) return error.response.status;
  const status = (error as { response?: { status?: unknown } } | undefined)
    ?.response?.status;
  return typeof status === 'number' ? status : undefined;
}
