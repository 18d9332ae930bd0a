import type { Config } from '@backstage/config';
import { namespaceNameSchema } from '@namespace-transfer/plugin-namespace-transfer-common';

const KEY = 'namespaceTransfer.kep';
export const DEFAULT_LEASE_NAMESPACE = 'namespace-transfer-system';

/** Where the backend runs the KEP controller (namespaceTransfer.kep), checked once at start-up. */
export interface KepConfig {
  /** the configured clusters the controller runs on; empty: the bridge starts nothing */
  clusters: string[];
  /** the namespace of each cluster's leader-election Lease */
  leaseNamespace: string;
}

/**
 * Reads namespaceTransfer.kep. A cluster that is not one of `configuredClusters` (kubernetes.clusterLocatorMethods),
 * a cluster named twice, or a lease namespace that is no namespace name stops start-up naming the key: a
 * typo must not leave KEP requests silently unserved.
 */
export function readKepConfig(
  config: Config,
  configuredClusters: string[],
): KepConfig {
  const clusters = config.getOptionalStringArray(`${KEY}.clusters`) ?? [];
  clusters.forEach((name, i) => {
    if (!configuredClusters.includes(name))
      throw new Error(
        `${KEY}.clusters[${i}] '${name}' matches no cluster of kubernetes.clusterLocatorMethods (configured: ${
          configuredClusters.map(c => `'${c}'`).join(', ') || 'none'
        })`,
      );
    if (clusters.indexOf(name) !== i)
      throw new Error(
        `${KEY}.clusters names '${name}' twice (again at [${i}]): one controller per cluster`,
      );
  });
  const leaseNamespace =
    config.getOptionalString(`${KEY}.leaseNamespace`) ??
    DEFAULT_LEASE_NAMESPACE;
  const valid = namespaceNameSchema(`${KEY}.leaseNamespace`).safeParse(
    leaseNamespace,
  );
  if (!valid.success)
    throw new Error(
      `${valid.error.issues[0].message} (got '${leaseNamespace}')`,
    );
  return { clusters, leaseNamespace };
}
