import { ClusterStatus } from '@namespace-transfer/plugin-namespace-transfer-common';
import { ClusterRegistry } from './ClusterRegistry';
import { classifyClusterError, withTimeout } from './errors';

/**
 * Asks each configured cluster for its version and API groups with the configured credentials, so the
 * platform page shows which clusters the plugin can actually use.
 */
export async function getClusterStatuses(
  registry: ClusterRegistry,
  timeoutMs: number,
): Promise<ClusterStatus[]> {
  return Promise.all(
    registry.list().map(async (cluster): Promise<ClusterStatus> => {
      const base = {
        name: cluster.name,
        url: cluster.url,
        skipTLSVerify: cluster.skipTLSVerify,
      };
      try {
        const clients = registry.clients(cluster.name);
        const [version, groups] = await withTimeout(
          Promise.all([
            clients.version.getCode(),
            clients.apis.getAPIVersions(),
          ]),
          timeoutMs,
          `reading /version of cluster '${cluster.name}'`,
        );
        return {
          ...base,
          reachable: true,
          version: version.gitVersion,
          openshift: groups.groups.some(g => g.name === 'route.openshift.io'),
        };
      } catch (error) {
        return {
          ...base,
          reachable: false,
          error: classifyClusterError(cluster.name, error),
        };
      }
    }),
  );
}
