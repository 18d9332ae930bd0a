import { ApiException } from '@kubernetes/client-node';
import { ClusterError } from '@namespace-transfer/plugin-namespace-transfer-common';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EAI_AGAIN',
  'EPIPE',
]);
const TIMEOUT = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED']);
const TLS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
]);

/** Thrown by `withTimeout`; classified as `timeout`. */
export class ClusterTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

/** The message of a Kubernetes `Status` body, which says e.g. which verb on which resource was forbidden. */
function statusMessage(body: unknown): string | undefined {
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

/** The first error code on the error or its causes (node-fetch wraps the socket error). */
function errorCode(error: unknown): string | undefined {
  let current: any = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string') return current.code;
    current = current.cause ?? current.reason;
  }
  return undefined;
}

/**
 * Turns whatever a cluster call threw into a per-cluster error a person can act on; the caller keeps the
 * other clusters' results.
 */
export function classifyClusterError(
  cluster: string,
  error: unknown,
): ClusterError {
  if (error instanceof ApiException) {
    const detail = statusMessage(error.body);
    if (error.code === 401) {
      return {
        reason: 'unauthorized',
        statusCode: 401,
        message: `Cluster '${cluster}' refused the configured service account token (401 Unauthorized). Check serviceAccountToken in kubernetes.clusterLocatorMethods.`,
      };
    }
    if (error.code === 403) {
      return {
        reason: 'forbidden',
        statusCode: 403,
        message: `The service account may not read this on cluster '${cluster}' (403 Forbidden)${detail ? `: ${detail}` : ''}. Grant it list/get on persistentvolumeclaims, pods and workloads.`,
      };
    }
    return {
      reason: 'error',
      statusCode: error.code,
      message: `Cluster '${cluster}' answered ${error.code}${detail ? `: ${detail}` : ''}`,
    };
  }
  const code = errorCode(error);
  const text = error instanceof Error ? error.message : String(error);
  if (code && UNREACHABLE.has(code)) {
    return {
      reason: 'unreachable',
      message: `Cluster '${cluster}' is unreachable (${code}): ${text}`,
    };
  }
  if (error instanceof ClusterTimeoutError || (code && TIMEOUT.has(code))) {
    return {
      reason: 'timeout',
      message: `Cluster '${cluster}' did not answer in time: ${text}`,
    };
  }
  if (code && TLS.has(code)) {
    return {
      reason: 'tls',
      message: `The TLS certificate of cluster '${cluster}' could not be verified (${code}). Check caData/caFile.`,
    };
  }
  return {
    reason: 'error',
    message: `Cluster '${cluster}' could not be read: ${text}`,
  };
}

/** Rejects when the call takes longer than `ms`: client-node sets no request timeout of its own. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new ClusterTimeoutError(`${what} took longer than ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
