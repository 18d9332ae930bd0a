import { ClusterStatus } from '@namespace-transfer/plugin-namespace-transfer-common';
import { withRetry } from '@namespace-transfer/plugin-namespace-transfer-node';
import { ClusterRegistry } from './ClusterRegistry';
import { classifyClusterError, PORTAL_RETRY, withTimeout } from './errors';

/**
 * Asks each configured cluster for its version and API groups with the configured credentials, so the
 * platform page shows which clusters the plugin can actually use. What the engine's error model calls
 * transient is retried briefly (PORTAL_RETRY), within the timeout, which aborts whatever is still open.
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
          signal => {
            const api = clients.withSignal(signal);
            return Promise.all([
              withRetry(() => api.version.getCode(), {
                ...PORTAL_RETRY,
                signal,
              }),
              withRetry(() => api.apis.getAPIVersions(), {
                ...PORTAL_RETRY,
                signal,
              }),
            ]);
          },
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
