import fs from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterConfig } from './config';

/** Where a pod's service account token lives, as Backstage's Kubernetes plugin falls back to it too. */
export const IN_CLUSTER_TOKEN_PATH =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

function resolveToken(cluster: ClusterConfig, tokenPath: string): string {
  if (cluster.serviceAccountToken) return cluster.serviceAccountToken;
  if (fs.existsSync(tokenPath))
    return fs.readFileSync(tokenPath, 'utf8').trim();
  throw new Error(
    `Cluster '${cluster.name}' has no serviceAccountToken configured and no in-cluster token at ${tokenPath}`,
  );
}

/**
 * Builds the KubeConfig of one configured cluster. The token is read on every build so that a rotated
 * in-cluster token is picked up; TLS verification stays on unless the cluster sets skipTLSVerify.
 */
export function buildKubeConfig(
  cluster: ClusterConfig,
  tokenPath = IN_CLUSTER_TOKEN_PATH,
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        caFile: cluster.caFile,
        skipTLSVerify: cluster.skipTLSVerify,
      },
    ],
    users: [
      {
        name: `${cluster.name}-namespace-transfer`,
        token: resolveToken(cluster, tokenPath),
      },
    ],
    contexts: [
      {
        name: cluster.name,
        cluster: cluster.name,
        user: `${cluster.name}-namespace-transfer`,
      },
    ],
    currentContext: cluster.name,
  });
  return kc;
}
