import { accessSync, constants } from 'node:fs';
import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';

/**
 * One cluster as configured for Backstage's Kubernetes plugin (`clusterLocatorMethods`, type `config`).
 *
 * @public
 */
export interface ClusterConfig {
  name: string;
  url: string;
  /** only `serviceAccount` is supported: the engine acts as a service account, never as the signed-in user */
  authProvider: string;
  /**
   * The bearer token sent to this cluster. Absent only for the in-cluster API server (see
   * `isInClusterApiServer`), which then gets the backend pod's own service account token.
   */
  serviceAccountToken?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  /**
   * Development only: accept an `http://` url, over which the token travels in clear text. Without it a
   * cluster must be reached over https.
   */
  allowInsecureHttp?: boolean;
  title?: string;
}

const SUPPORTED_AUTH_PROVIDERS = new Set(['serviceAccount']);

/** The names the in-cluster API server answers to inside a pod (its Service in the default namespace). */
const IN_CLUSTER_HOSTS = new Set([
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
]);

/**
 * Whether `url` is the API server of the cluster the backend runs in: `https://kubernetes.default.svc`
 * (port 443), or `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT` as the kubelet sets them
 * in every pod. Only this server may be sent the pod's own service account token.
 */
export function isInClusterApiServer(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password)
    return false;
  const port = parsed.port || '443';
  if (IN_CLUSTER_HOSTS.has(parsed.hostname) && port === '443') return true;
  const host = env.KUBERNETES_SERVICE_HOST?.trim();
  if (!host) return false;
  // an IPv6 service address is bracketed in a URL's hostname
  const expected = (host.includes(':') ? `[${host}]` : host).toLowerCase();
  return (
    parsed.hostname === expected &&
    port === (env.KUBERNETES_SERVICE_PORT?.trim() || '443')
  );
}

/**
 * Reads `kubernetes.clusterLocatorMethods` so one configuration serves both this plugin and Backstage's
 * Kubernetes plugin. Locator types other than `config` (catalog, gke, ...) are reported and skipped. A
 * cluster is refused at startup, with a message naming it and the key to change, when the engine cannot
 * act for it (an authProvider other than serviceAccount) or when its token would leak: an `http://` url
 * without `allowInsecureHttp: true` (development only), or no serviceAccountToken for a cluster other than
 * the in-cluster API server (the pod's own token is never sent anywhere else).
 *
 * @public
 */
export function readClusterConfigs(
  config: Config,
  logger?: LoggerService,
  env: NodeJS.ProcessEnv = process.env,
): ClusterConfig[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  const clusters: ClusterConfig[] = [];
  methods.forEach((method, m) => {
    const type = method.getString('type');
    if (type !== 'config') {
      logger?.warn(
        `namespace-transfer ignores kubernetes.clusterLocatorMethods of type '${type}'; only type 'config' is supported`,
      );
      return;
    }
    (method.getOptionalConfigArray('clusters') ?? []).forEach((c, i) => {
      const key = `kubernetes.clusterLocatorMethods[${m}].clusters[${i}]`;
      const name = c.getString('name');
      const authProvider = c.getString('authProvider');
      if (!SUPPORTED_AUTH_PROVIDERS.has(authProvider)) {
        throw new Error(
          `Cluster '${name}' uses authProvider '${authProvider}' (${key}.authProvider); namespace-transfer supports only 'serviceAccount': ` +
            `it acts as a service account, never as the signed-in user. Set authProvider: serviceAccount and a serviceAccountToken (see deploy/README.md)`,
        );
      }
      const url = c.getString('url');
      let protocol: string;
      try {
        protocol = new URL(url).protocol;
      } catch {
        throw new Error(
          `Cluster '${name}' has an invalid url '${url}' (${key}.url); give the API server's address, e.g. https://api.example.com:6443`,
        );
      }
      const allowInsecureHttp = c.getOptionalBoolean('allowInsecureHttp');
      if (protocol === 'http:') {
        if (allowInsecureHttp !== true) {
          throw new Error(
            `Cluster '${name}' has an http:// url (${key}.url): its service account token would travel in clear text. ` +
              `Use an https:// url, or, for a development cluster only, set ${key}.allowInsecureHttp: true`,
          );
        }
        logger?.warn(
          `Cluster '${name}' is reached over plain http (${key}.allowInsecureHttp: true): its token travels in clear text; development only`,
        );
      } else if (protocol !== 'https:') {
        throw new Error(
          `Cluster '${name}' has a url with the scheme '${protocol}' (${key}.url); a cluster is reached over https://`,
        );
      }
      if (clusters.some(existing => existing.name === name)) {
        throw new Error(
          `Cluster name '${name}' is configured more than once (again at ${key}.name); cluster names must be unique: rename or remove one`,
        );
      }
      const serviceAccountToken = c.getOptionalString('serviceAccountToken');
      if (!serviceAccountToken && !isInClusterApiServer(url, env)) {
        throw new Error(
          `Cluster '${name}' has no serviceAccountToken (${key}.serviceAccountToken). ` +
            `The backend's own in-cluster token is sent only to the in-cluster API server (https://kubernetes.default.svc); ` +
            `configure a token for any other cluster`,
        );
      }
      const caFile = c.getOptionalString('caFile');
      if (caFile) checkReadable(caFile, `Cluster '${name}'`, `${key}.caFile`);
      clusters.push({
        name,
        url,
        authProvider,
        serviceAccountToken,
        caData: c.getOptionalString('caData'),
        caFile,
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
        ...(allowInsecureHttp ? { allowInsecureHttp: true } : {}),
        title: c.getOptionalString('title'),
      });
    });
  });
  return clusters;
}

/** A CA file that is not there at start-up is a mistake in the entry, not a cluster that is down. */
function checkReadable(path: string, what: string, key: string) {
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw new Error(
      `${what} has a caFile that cannot be read (${key}: ${(error as NodeJS.ErrnoException).code ?? error}); ` +
        `mount the cluster's CA certificate (PEM) at that path, or give it as caData instead`,
    );
  }
}
