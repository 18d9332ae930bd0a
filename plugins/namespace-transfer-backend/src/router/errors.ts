import { randomBytes } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { isError, stringifyError } from '@backstage/errors';

/** The status of the errors this plugin throws or lets through, by name (as Backstage's error handler maps them). */
const KNOWN_ERRORS: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  TooManyRequestsError: 429,
  NotImplementedError: 501,
  BadGatewayError: 502,
  ServiceUnavailableError: 503,
};

/** An error as the caller sees it: a name, a message and a status, nothing else of the original. */
class PublicError extends Error {
  constructor(name: string, message: string, statusCode: number) {
    super(message);
    this.name = name;
    Object.defineProperty(this, 'statusCode', {
      value: statusCode,
      enumerable: false,
    });
  }
}

/** The message without the "; caused by ..." that Backstage's errors append for their cause. */
function ownMessage(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (isError(cause)) {
    const suffix = `; caused by ${stringifyError(cause)}`;
    if (error.message.endsWith(suffix))
      return error.message.slice(0, -suffix.length);
  }
  return error.message;
}

/**
 * What of an error reaches the caller: the name and message of the errors the plugin means to answer with
 * (Backstage's errors, ours, a body parser's 4xx), never their causes, response objects or other
 * properties (which Backstage's error handler would serialize), and no stack outside development; any
 * other error becomes a 500 with an id to find it in the log, where it is written in full.
 */
export function publicError(error: unknown, logger?: LoggerService): Error {
  const development = process.env.NODE_ENV === 'development';
  let result: PublicError;
  const e = error as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
  };
  const httpStatus = isError(error)
    ? [e.statusCode, e.status].find(
        (s): s is number => typeof s === 'number' && s >= 400 && s < 500,
      )
    : undefined;
  if (isError(error) && KNOWN_ERRORS[error.name] !== undefined) {
    result = new PublicError(
      error.name,
      ownMessage(error),
      KNOWN_ERRORS[error.name],
    );
  } else if (isError(error) && httpStatus !== undefined && e.expose !== false) {
    result = new PublicError(error.name, ownMessage(error), httpStatus);
  } else {
    const logId = randomBytes(8).toString('hex');
    logger?.error(
      `namespace-transfer: internal error logId=${logId}`,
      isError(error) ? error : { error: String(error) },
    );
    result = new PublicError(
      'Error',
      `An internal error occurred (logId=${logId})`,
      500,
    );
  }
  result.stack = development && isError(error) ? error.stack : undefined;
  return result;
}
