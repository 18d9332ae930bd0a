import {
  CoreV1Api,
  RbacAuthorizationV1Api,
  type KubernetesObject,
} from '@kubernetes/client-node';
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
  // deploy/ ships cluster-wide objects (CRDs, ClusterRoles) and Roles without a namespace, which an operator
  // applies and binds in every namespace transfers may touch.
  const deploy = opts.deployDir ? await readManifests(opts.deployDir) : [];
  const perNamespace = deploy.filter(
    m => m.kind === 'Role' && !m.metadata?.namespace,
  );
  await applyManifests(
    kc,
    deploy.filter(m => !perNamespace.includes(m)),
  );
  await bindDeployRoles(
    cluster,
    deploy.filter(m => m.kind === 'ClusterRole').map(m => m.metadata!.name!),
  );
  const name = cluster.name === 'west' ? 'west' : 'east';
  const demo = demoManifests(name);
  await applyManifests(kc, demo);
  for (const ns of demo
    .filter(m => m.kind === 'Namespace')
    .map(m => m.metadata.name as string)) {
    await applyManifests(
      kc,
      perNamespace.flatMap(role => namespacedRoleAndBinding(role, ns)),
    );
  }
  await core.listNamespace();
  const { token } = cluster.serviceAccountKubeConfig(
    BACKEND_NAMESPACE,
    BACKEND_SERVICE_ACCOUNT,
  );
  return { backendToken: token };
}

function namespacedRoleAndBinding(
  role: KubernetesObject,
  namespace: string,
): KubernetesObject[] {
  const name = role.metadata!.name!;
  return [
    { ...role, metadata: { ...role.metadata, namespace } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${name}-${BACKEND_SERVICE_ACCOUNT}`, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [
        {
          kind: 'ServiceAccount',
          name: BACKEND_SERVICE_ACCOUNT,
          namespace: BACKEND_NAMESPACE,
        },
      ],
    } as KubernetesObject,
  ];
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
