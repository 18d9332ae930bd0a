import { KubeConfig } from '@kubernetes/client-node';
import {
  IN_CLUSTER_TOKEN_PATH,
  kubeConfigFromToken,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import { ClusterConfig, isInClusterApiServer } from './config';

export { IN_CLUSTER_TOKEN_PATH };

/**
 * The KubeConfig of one configured cluster, built by the engine's builder so that the portal and the
 * engine reach a cluster the same way: the configured serviceAccountToken; the in-cluster token (read on
 * every build) only for the in-cluster API server, never for another url; caData (PEM or base64) or
 * caFile; TLS verification on unless skipTLSVerify; plain http only with allowInsecureHttp (development
 * only). readClusterConfigs refuses such a cluster at startup
 * already; this is checked again here because a ClusterConfig may be made by hand.
 *
 * @public
 */
export function buildKubeConfig(
  cluster: ClusterConfig,
  tokenPath = IN_CLUSTER_TOKEN_PATH,
  env: NodeJS.ProcessEnv = process.env,
): KubeConfig {
  const token = cluster.serviceAccountToken || undefined;
  if (!token && !isInClusterApiServer(cluster.url, env)) {
    throw new Error(
      `Cluster '${cluster.name}' has no serviceAccountToken; the in-cluster token is sent only to the in-cluster API server`,
    );
  }
  const http = new URL(cluster.url).protocol === 'http:';
  if (http && !cluster.allowInsecureHttp) {
    throw new Error(
      `Cluster '${cluster.name}' has an http:// url; set allowInsecureHttp (development only) or use https://`,
    );
  }
  return kubeConfigFromToken({
    name: cluster.name,
    url: cluster.url,
    token,
    // never defaulted: without a token the engine's builder would read the in-cluster token
    tokenFile: token ? undefined : tokenPath,
    caData: cluster.caData,
    caFile: cluster.caFile,
    // client-node speaks plain http only with skipTLSVerify: there is no TLS to verify
    skipTLSVerify: cluster.skipTLSVerify || http,
  });
}
