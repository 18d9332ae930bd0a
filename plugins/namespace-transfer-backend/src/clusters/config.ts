import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';

/** One cluster as configured for Backstage's Kubernetes plugin (`clusterLocatorMethods`, type `config`). */
export interface ClusterConfig {
  name: string;
  url: string;
  /** only `serviceAccount` is supported: the engine acts as a service account, never as the signed-in user */
  authProvider: string;
  serviceAccountToken?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  title?: string;
}

const SUPPORTED_AUTH_PROVIDERS = new Set(['serviceAccount']);

/**
 * Reads `kubernetes.clusterLocatorMethods` so one configuration serves both this plugin and Backstage's
 * Kubernetes plugin. Locator types other than `config` (catalog, gke, ...) are reported and skipped; a
 * cluster with an unsupported authProvider is refused at startup because the engine cannot act for it.
 */
export function readClusterConfigs(
  config: Config,
  logger?: LoggerService,
): ClusterConfig[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  const clusters: ClusterConfig[] = [];
  for (const method of methods) {
    const type = method.getString('type');
    if (type !== 'config') {
      logger?.warn(
        `namespace-transfer ignores kubernetes.clusterLocatorMethods of type '${type}'; only type 'config' is supported`,
      );
      continue;
    }
    for (const c of method.getOptionalConfigArray('clusters') ?? []) {
      const name = c.getString('name');
      const authProvider = c.getString('authProvider');
      if (!SUPPORTED_AUTH_PROVIDERS.has(authProvider)) {
        throw new Error(
          `Cluster '${name}' uses authProvider '${authProvider}'; namespace-transfer supports only 'serviceAccount'`,
        );
      }
      const url = c.getString('url');
      try {
        // eslint-disable-next-line no-new
        new URL(url);
      } catch {
        throw new Error(`Cluster '${name}' has an invalid url '${url}'`);
      }
      if (clusters.some(existing => existing.name === name)) {
        throw new Error(`Cluster name '${name}' is configured more than once`);
      }
      clusters.push({
        name,
        url,
        authProvider,
        serviceAccountToken: c.getOptionalString('serviceAccountToken'),
        caData: c.getOptionalString('caData'),
        caFile: c.getOptionalString('caFile'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
        title: c.getOptionalString('title'),
      });
    }
  }
  return clusters;
}
