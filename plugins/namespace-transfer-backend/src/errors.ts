import { CustomErrorBase } from '@backstage/errors';

/** 429: the caller made too many requests; the response carries Retry-After. */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  // a getter, so that it is not serialized into the response body: the status says it
  get statusCode() {
    return 429;
  }
}

/** 502: a service this plugin depends on (the catalog) failed; the message says which, not how. */
export class BadGatewayError extends CustomErrorBase {
  name = 'BadGatewayError' as const;
  get statusCode() {
    return 502;
  }
}
