import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthenticationV1Api,
  AuthorizationV1Api,
} from '@kubernetes/client-node';
import {
  ClusterRegistry,
  classifyClusterError,
  withTimeout,
} from '../clusters';

/** One right the portal's read path uses, cluster-wide (readClusterVolumes lists across namespaces). */
interface Right {
  verb: string;
  resource: string;
  group?: string;
}

/** What listing an entity's volumes needs on every cluster: the core of deploy/'s reader ClusterRole. */
export const READ_PATH_RIGHTS: Right[] = [
  { verb: 'list', resource: 'persistentvolumeclaims' },
  { verb: 'list', resource: 'pods' },
  { verb: 'get', resource: 'namespaces' },
  ...['deployments', 'replicasets', 'statefulsets', 'daemonsets'].map(
    resource => ({ verb: 'list', resource, group: 'apps' }),
  ),
  ...['jobs', 'cronjobs'].map(resource => ({
    verb: 'list',
    resource,
    group: 'batch',
  })),
];

/** What the start-up check found on one cluster. */
export interface ClusterAccess {
  cluster: string;
  /** the identity the cluster says the token is, when it said */
  user?: string;
  /** the rights of READ_PATH_RIGHTS the cluster refuses, as "verb resource" */
  missing: string[];
  /** why the cluster could not be asked at all (unreachable, token refused, TLS, ...) */
  problem?: string;
}

const describeRight = (r: Right) =>
  `${r.verb} ${r.group ? `${r.resource}.${r.group}` : r.resource}`;

/**
 * Asks every configured cluster, with its configured token, whether it answers and whether it grants what
 * the read path needs, and logs each one that does not: named, with the reason in readable words (and
 * every missing verb and resource), so that an adopter sees a typo'd url, an expired token or a missing
 * binding at start-up. It never throws: a cluster that is down or refuses is reported, and the backend
 * goes on starting (the portal reports such a cluster per request as well).
 */
export async function reportClusterAccess(
  registry: ClusterRegistry,
  logger: LoggerService,
  opts: { timeoutMs?: number } = {},
): Promise<ClusterAccess[]> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  if (registry.list().length === 0)
    logger.warn(
      `namespace-transfer: no cluster is configured, so no volume can be listed or moved: add the clusters ` +
        `under kubernetes.clusterLocatorMethods (type: config) with name, url, authProvider: serviceAccount ` +
        `and serviceAccountToken (see deploy/README.md for the token)`,
    );
  return Promise.all(
    registry.list().map(async ({ name }) => {
      const access = await checkCluster(registry, name, timeoutMs);
      log(logger, access);
      return access;
    }),
  );
}

async function checkCluster(
  registry: ClusterRegistry,
  cluster: string,
  timeoutMs: number,
): Promise<ClusterAccess> {
  try {
    const clients = registry.clients(cluster);
    return await withTimeout(
      async signal => {
        const kc = clients.withSignal(signal).kubeConfig;
        const authz = kc.makeApiClient(AuthorizationV1Api);
        const allowed = await Promise.all(
          READ_PATH_RIGHTS.map(async right => {
            const review = await authz.createSelfSubjectAccessReview({
              body: {
                spec: {
                  resourceAttributes: {
                    verb: right.verb,
                    resource: right.resource,
                    group: right.group ?? '',
                  },
                },
              },
            });
            return review.status?.allowed === true;
          }),
        );
        return {
          cluster,
          user: await whoAmI(kc.makeApiClient(AuthenticationV1Api)),
          missing: READ_PATH_RIGHTS.filter((_, i) => !allowed[i]).map(
            describeRight,
          ),
        };
      },
      timeoutMs,
      `checking access to cluster '${cluster}'`,
    );
  } catch (error) {
    return {
      cluster,
      missing: [],
      problem: classifyClusterError(cluster, error).message,
    };
  }
}

/** The token's identity as the cluster sees it (SelfSubjectReview, Kubernetes 1.28+); older ones do not say. */
async function whoAmI(api: AuthenticationV1Api): Promise<string | undefined> {
  try {
    const review = await api.createSelfSubjectReview({ body: {} });
    return review.status?.userInfo?.username;
  } catch {
    return undefined;
  }
}

function log(logger: LoggerService, access: ClusterAccess) {
  const { cluster, user, missing, problem } = access;
  if (problem) {
    logger.warn(
      `namespace-transfer: cluster '${cluster}' cannot be used; the backend starts without it: ${problem}`,
    );
  } else if (missing.length > 0) {
    logger.warn(
      `namespace-transfer: on cluster '${cluster}' the configured token${user ? ` (${user})` : ''} may not ` +
        `${missing.join(', ')} (cluster-wide), which listing an entity's volumes needs: bind the ClusterRole ` +
        `namespace-transfer-reader of deploy/rbac to it (kubectl apply -k deploy/ does). The backend starts; ` +
        `volumes of that cluster fail until then.`,
    );
  } else {
    logger.info(
      `namespace-transfer: cluster '${cluster}' answers and grants${user ? ` ${user}` : ''} what listing volumes needs`,
    );
  }
}
