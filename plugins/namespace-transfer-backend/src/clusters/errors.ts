import { setMaxListeners } from 'node:events';
import { ClusterError } from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  describeFailure,
  RetryOptions,
} from '@namespace-transfer/plugin-namespace-transfer-node';

/**
 * How the portal retries what the engine's error model calls transient (withRetry): a blip (429, 503, a
 * dropped connection) is tried again briefly, and a cluster that does not answer is reported within a
 * fraction of a second instead of after the engine's longer backoff, which suits a transfer, not a page.
 */
export const PORTAL_RETRY: RetryOptions = {
  attempts: 3,
  baseMs: 100,
  maxMs: 1000,
};

/** Thrown by `withTimeout`; the engine's error model classifies it as a timeout (code ETIMEDOUT). */
export class ClusterTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

const URLS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;
const PATHS = /(^|[\s'"(=])\/[^\s'"<>(),;:]+/g;

/**
 * A message for the caller without the URLs and file paths a library may put in it (node-fetch names the
 * request's URL, the builder a CA file's path): the cluster's name says which cluster; the log has the rest.
 */
export function scrubMessage(message: string): string {
  return message.replace(URLS, '<url>').replace(PATHS, '$1<path>');
}

/**
 * Turns whatever a cluster call threw into a per-cluster error a person can act on; the caller keeps the
 * other clusters' results. What went wrong is the engine's verdict (describeFailure, the model its
 * retries use); only the wording for the portal is decided here. No message carries a URL or a file path:
 * what the API server said (its Status message) is kept, a library's wording of a failed connection is not.
 */
export function classifyClusterError(
  cluster: string,
  error: unknown,
): ClusterError {
  const failure = describeFailure(error);
  switch (failure.kind) {
    case 'http': {
      const { status } = failure;
      const detail = failure.detail ? scrubMessage(failure.detail) : undefined;
      if (status === 401) {
        return {
          reason: 'unauthorized',
          statusCode: 401,
          message: `Cluster '${cluster}' refused the configured service account token (401 Unauthorized). Check serviceAccountToken in kubernetes.clusterLocatorMethods.`,
        };
      }
      if (status === 403) {
        return {
          reason: 'forbidden',
          statusCode: 403,
          message: `The service account may not read this on cluster '${cluster}' (403 Forbidden)${detail ? `: ${detail}` : ''}. Grant it list/get on persistentvolumeclaims, pods and workloads.`,
        };
      }
      return {
        reason: 'error',
        statusCode: status,
        message: `Cluster '${cluster}' answered ${status}${detail ? `: ${detail}` : ''}`,
      };
    }
    case 'unreachable':
      return {
        reason: 'unreachable',
        message: `Cluster '${cluster}' is unreachable (${failure.code})`,
      };
    case 'timeout':
      return {
        reason: 'timeout',
        message:
          error instanceof ClusterTimeoutError
            ? `Cluster '${cluster}' did not answer in time: ${scrubMessage(failure.message)}`
            : `Cluster '${cluster}' did not answer in time (${failure.code})`,
      };
    case 'tls':
      return {
        reason: 'tls',
        message: `The TLS certificate of cluster '${cluster}' could not be verified (${failure.code}). Check caData/caFile.`,
      };
    default:
      return {
        reason: 'error',
        message: `Cluster '${cluster}' could not be read: ${scrubMessage(failure.message)}`,
      };
  }
}

/**
 * Rejects when the call takes longer than `ms` (client-node sets no request timeout of its own): the
 * budget of one portal request on one cluster, retries included. Given a function, it passes an
 * AbortSignal that fires at the deadline, and once the call has settled, so that its requests (made with
 * ClusterClients.withSignal) and its retries (withRetry's `signal`) stop there too.
 */
export function withTimeout<T>(
  call: Promise<T> | ((signal: AbortSignal) => Promise<T>),
  ms: number,
  what: string,
): Promise<T> {
  const controller = new AbortController();
  // one deadline for every call of the request: many retries may wait on it at once
  setMaxListeners(0, controller.signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ClusterTimeoutError(
        `${what} took longer than ${ms} ms`,
      );
      controller.abort(error);
      reject(error);
    }, ms);
  });
  const promise = typeof call === 'function' ? call(controller.signal) : call;
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
    // a call that failed early leaves its siblings nothing to answer: they are aborted too
    if (!controller.signal.aborted)
      controller.abort(new Error(`${what} has ended`));
  });
}
