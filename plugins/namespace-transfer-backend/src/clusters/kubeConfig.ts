import { KubeConfig } from '@kubernetes/client-node';
import {
  IN_CLUSTER_TOKEN_PATH,
  kubeConfigFromToken,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import { ClusterConfig } from './config';

export { IN_CLUSTER_TOKEN_PATH };

/**
 * The KubeConfig of one configured cluster, built by the engine's builder so that the portal and the
 * engine reach a cluster the same way: the configured serviceAccountToken, else the in-cluster token
 * (read on every build); caData (PEM or base64) or caFile; TLS verification on unless skipTLSVerify.
 */
export function buildKubeConfig(
  cluster: ClusterConfig,
  tokenPath = IN_CLUSTER_TOKEN_PATH,
): KubeConfig {
  return kubeConfigFromToken({
    name: cluster.name,
    url: cluster.url,
    token: cluster.serviceAccountToken,
    tokenFile: tokenPath,
    caData: cluster.caData,
    caFile: cluster.caFile,
    skipTLSVerify: cluster.skipTLSVerify,
  });
}
