import { KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';

export interface TokenClusterOptions {
  name: string;
  url: string;
  token: string;
  /** PEM or base64 PEM of the CA that signed the API server's certificate */
  caData?: string;
  caFile?: string;
  /** never in production; allowed for parity with Backstage's Kubernetes config */
  skipTLSVerify?: boolean;
}

/** From a kubeconfig file (default: $KUBECONFIG or ~/.kube/config) and one of its contexts. */
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

function base64Ca(opts: TokenClusterOptions): string | undefined {
  const pem =
    opts.caData ??
    (opts.caFile ? readFileSync(opts.caFile, 'utf8') : undefined);
  if (!pem) return undefined;
  return pem.includes('-----BEGIN')
    ? Buffer.from(pem).toString('base64')
    : pem.trim();
}

/** From a URL, a bearer token and a CA: the shape of Backstage's Kubernetes cluster config. */
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
    users: [{ name: `${opts.name}-user`, token: opts.token }],
    contexts: [
      { name: opts.name, cluster: opts.name, user: `${opts.name}-user` },
    ],
    currentContext: opts.name,
  });
  return kc;
}
