import { ResponseError } from '@backstage/errors';

/** The backend's own message of a refusal (what to fix), else the error's. */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError)
    return error.body?.error?.message ?? error.message;
  return error instanceof Error ? error.message : String(error);
}
