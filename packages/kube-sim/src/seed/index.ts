import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import type { SimCluster } from '../cluster';
import { applyManifests, readManifests } from './apply';
import { demoManifests } from './demo';

export { applyManifests, readManifests } from './apply';
export { demoManifests, DEMO_CLUSTERS } from './demo';

export const BACKEND_NAMESPACE = 'namespace-transfer-system';
export const BACKEND_SERVICE_ACCOUNT = 'namespace-transfer';

/**
 * Seeds a demo cluster: the manifests of `deploy/` (CRDs, RBAC) first, then the demo's namespaces,
 * storage classes, claims and workloads; returns a token for the backend's ServiceAccount, which has
 * only what the RBAC of `deploy/` grants it.
 */
export async function seedDemoCluster(
  cluster: SimCluster,
  opts: { deployDir?: string } = {},
): Promise<{ backendToken: string }> {
  const kc = cluster.kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  await applyManifests(kc, [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: BACKEND_NAMESPACE },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: BACKEND_SERVICE_ACCOUNT, namespace: BACKEND_NAMESPACE },
    },
  ]);
  if (opts.deployDir) {
    const deploy = await readManifests(opts.deployDir);
    await applyManifests(kc, deploy);
    await bindDeployRoles(
      cluster,
      deploy.filter(m => m.kind === 'ClusterRole').map(m => m.metadata!.name!),
    );
  }
  const name = cluster.name === 'west' ? 'west' : 'east';
  await applyManifests(kc, demoManifests(name));
  await core.listNamespace();
  const { token } = cluster.serviceAccountKubeConfig(
    BACKEND_NAMESPACE,
    BACKEND_SERVICE_ACCOUNT,
  );
  return { backendToken: token };
}

/** Grants the backend's ServiceAccount the ClusterRoles shipped in deploy/ (what an operator would do). */
async function bindDeployRoles(cluster: SimCluster, roles: string[]) {
  const rbac = cluster.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
  for (const role of roles) {
    const body = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${role}-${BACKEND_SERVICE_ACCOUNT}` },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: role,
      },
      subjects: [
        {
          kind: 'ServiceAccount',
          name: BACKEND_SERVICE_ACCOUNT,
          namespace: BACKEND_NAMESPACE,
        },
      ],
    };
    await rbac.createClusterRoleBinding({ body }).catch((e: any) => {
      if (e?.code !== 409) throw e;
    });
  }
}
