import type { KubeConfig } from '@kubernetes/client-node';
import type { Config } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ClusterConfig } from './config';
import type { ClusterRegistry } from './ClusterRegistry';
import { buildKubeConfig } from './kubeConfig';

const KEY = 'namespaceTransfer.worker.clusters';

/**
 * Reads `namespaceTransfer.worker.clusters`: per cluster, the token of the identity transfers run as (the
 * engine's ServiceAccount, which holds copy and rebind), apart from the portal's read identity of
 * `kubernetes.clusterLocatorMethods`. An entry is refused at start-up, naming its key, when its name
 * matches no configured cluster or is given twice, or when it has no token. Returns the tokens by cluster
 * name; a cluster left out is not in the map (see engineKubeConfigs for what it then runs as).
 */
export function readEngineTokens(
  config: Config,
  clusters: ClusterConfig[],
): Map<string, string> {
  const tokens = new Map<string, string>();
  (config.getOptionalConfigArray(KEY) ?? []).forEach((entry, i) => {
    const key = `${KEY}[${i}]`;
    const name = entry.getString('name');
    if (!clusters.some(c => c.name === name)) {
      throw new Error(
        `${key}.name '${name}' matches no cluster of kubernetes.clusterLocatorMethods ` +
          `(configured: ${clusters.map(c => `'${c.name}'`).join(', ') || 'none'}); ` +
          `give the name of a cluster entry there, or remove this entry`,
      );
    }
    if (tokens.has(name)) {
      throw new Error(
        `Cluster '${name}' has more than one transfer identity (again at ${key}.name); keep one entry per cluster`,
      );
    }
    const token = entry.getString('serviceAccountToken').trim();
    if (!token) {
      throw new Error(
        `${key}.serviceAccountToken is empty: give the token of the ServiceAccount transfers run as on cluster '${name}' ` +
          `(namespace-transfer-engine, see deploy/README.md), or remove the entry to run them as the portal's identity`,
      );
    }
    tokens.set(name, token);
  });
  return tokens;
}

/**
 * The KubeConfigs the transfer worker gives the engine: a cluster's URL and CA from its
 * `kubernetes.clusterLocatorMethods` entry with the engine's token of `namespaceTransfer.worker.clusters`,
 * so that the portal's reads keep the reader's rights only. A cluster without an engine token falls back
 * to the entry's own token, with a warning naming it, once, here: a one-token setup (one ServiceAccount
 * bound to both the reader and the engine's roles, a development cluster) keeps working, and a
 * least-privilege setup that forgot a cluster is told which one rather than refusing to start. The
 * tokens themselves are never logged.
 */
export function engineKubeConfigs(
  registry: ClusterRegistry,
  tokens: Map<string, string>,
  logger?: LoggerService,
  makeKubeConfig: (cluster: ClusterConfig) => KubeConfig = buildKubeConfig,
): (cluster: string) => KubeConfig {
  const fallback = registry.list().filter(c => !tokens.has(c.name));
  if (fallback.length) {
    logger?.warn(
      `No transfer identity for cluster${fallback.length > 1 ? 's' : ''} ${fallback
        .map(c => `'${c.name}'`)
        .join(
          ', ',
        )} (${KEY}): transfers there run as the portal's read identity ` +
        `(kubernetes.clusterLocatorMethods serviceAccountToken), which under deploy/'s roles may only read; ` +
        `give the engine ServiceAccount's token in ${KEY}`,
    );
  }
  const built = new Map<string, KubeConfig>();
  return name => {
    const token = tokens.get(name);
    if (token === undefined) return registry.clients(name).kubeConfig;
    let kc = built.get(name);
    if (!kc) {
      const cluster = registry.list().find(c => c.name === name);
      if (!cluster) throw new Error(`Unknown cluster '${name}'`);
      kc = makeKubeConfig({ ...cluster, serviceAccountToken: token });
      built.set(name, kc);
    }
    return kc;
  };
}
