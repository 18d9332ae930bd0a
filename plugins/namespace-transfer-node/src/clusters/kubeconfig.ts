import { KubeConfig } from '@kubernetes/client-node';
import { existsSync, readFileSync } from 'node:fs';

/**
 * Where a pod's service account token lives; Backstage's Kubernetes plugin falls back to it too.
 *
 * @public
 */
export const IN_CLUSTER_TOKEN_PATH =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** @public */
export interface TokenClusterOptions {
  name: string;
  url: string;
  /** the bearer token; when absent it is read from `tokenFile` */
  token?: string;
  /**
   * where the token is read when none is given, e.g. IN_CLUSTER_TOKEN_PATH for the in-cluster API server
   * (never a default: that token must not travel to whatever URL is configured)
   */
  tokenFile?: string;
  /** PEM or base64 PEM of the CA that signed the API server's certificate */
  caData?: string;
  caFile?: string;
  /** never in production; allowed for parity with Backstage's Kubernetes config */
  skipTLSVerify?: boolean;
}

/**
 * From a kubeconfig file (default: $KUBECONFIG or ~/.kube/config) and one of its contexts.
 *
 * @public
 */
export function kubeConfigFromContext(
  opts: { kubeconfigPath?: string; context?: string } = {},
): KubeConfig {
  const kc = new KubeConfig();
  if (opts.kubeconfigPath) kc.loadFromFile(opts.kubeconfigPath);
  else kc.loadFromDefault();
  if (opts.context) {
    if (!kc.getContexts().some(c => c.name === opts.context)) {
      throw new Error(
        `kubeconfig has no context "${opts.context}" (has: ${kc
          .getContexts()
          .map(c => c.name)
          .join(', ')})`,
      );
    }
    kc.setCurrentContext(opts.context);
  }
  return kc;
}

function readOption(cluster: string, what: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(
      `Cluster '${cluster}': cannot read its ${what} ${path}: ${(e as Error).message}`,
    );
  }
}

function base64Ca(opts: TokenClusterOptions): string | undefined {
  const pem =
    opts.caData ||
    (opts.caFile ? readOption(opts.name, 'caFile', opts.caFile) : undefined);
  if (!pem) return undefined;
  return pem.includes('-----BEGIN')
    ? Buffer.from(pem).toString('base64')
    : pem.trim();
}

/** The given token, else the token file's (read now: a rotated file needs a new KubeConfig). */
function resolveToken(opts: TokenClusterOptions): string {
  if (opts.token) return opts.token;
  const file = opts.tokenFile;
  if (!file) throw new Error(`Cluster '${opts.name}' has no token configured`);
  if (!existsSync(file)) {
    throw new Error(
      `Cluster '${opts.name}' has no token configured and no token file at ${file}`,
    );
  }
  const token = readOption(opts.name, 'token file', file).trim();
  if (!token)
    throw new Error(`Cluster '${opts.name}': token file ${file} is empty`);
  return token;
}

/**
 * From a URL, a bearer token (or a token file, such as the in-cluster service account's) and a CA
 * (caData as PEM or base64 PEM, or caFile): the shape of Backstage's Kubernetes cluster config. TLS
 * verification stays on unless skipTLSVerify is set.
 *
 * @public
 */
export function kubeConfigFromToken(opts: TokenClusterOptions): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: opts.name,
        server: opts.url,
        caData: base64Ca(opts),
        skipTLSVerify: opts.skipTLSVerify ?? false,
      },
    ],
    users: [{ name: `${opts.name}-user`, token: resolveToken(opts) }],
    contexts: [
      { name: opts.name, cluster: opts.name, user: `${opts.name}-user` },
    ],
    currentContext: opts.name,
  });
  return kc;
}
