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

/** What the seed uses of a cluster: a test can seed a bare API server. */
export type SeedTarget = Pick<
  SimCluster,
  'name' | 'kubeConfig' | 'serviceAccountKubeConfig'
>;

/**
 * What deploy/README.md tells an adopter to bind to the backend's ServiceAccount, and all the seed binds:
 * these ClusterRoles cluster-wide (ClusterRoleBinding `<role>-namespace-transfer`) ...
 */
export const BACKEND_CLUSTER_ROLES = [
  'namespace-transfer-reader',
  'namespace-transfer-rebind',
] as const;
/** ... and these namespace-less Roles of deploy/ in every demo namespace (RoleBinding `<role>-namespace-transfer`). */
export const BACKEND_NAMESPACE_ROLES = ['namespace-transfer-copy'] as const;

/**
 * Seeds a demo cluster: the manifests of `deploy/` (CRDs, RBAC) first, then the demo's namespaces,
 * storage classes, claims and workloads; returns a token for the backend's ServiceAccount, which has
 * only what deploy/README.md says to bind to it: the reader and rebind ClusterRoles cluster-wide and the
 * copy Role in each demo namespace. Every other role of `deploy/` is applied and left unbound, above all
 * `namespace-transfer-kep-edit` (creating and approving KEP objects is for namespace users: the engine
 * holding it could approve its own rebinds).
 */
export async function seedDemoCluster(
  cluster: SeedTarget,
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
  await bindClusterRoles(
    cluster,
    deploy
      .filter(m => m.kind === 'ClusterRole')
      .map(m => m.metadata!.name!)
      .filter(name =>
        (BACKEND_CLUSTER_ROLES as readonly string[]).includes(name),
      ),
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

/** The Role in the namespace, and its RoleBinding to the backend when deploy/README.md says to bind it. */
function namespacedRoleAndBinding(
  role: KubernetesObject,
  namespace: string,
): KubernetesObject[] {
  const name = role.metadata!.name!;
  const roleInNamespace = {
    ...role,
    metadata: { ...role.metadata, namespace },
  };
  if (!(BACKEND_NAMESPACE_ROLES as readonly string[]).includes(name))
    return [roleInNamespace];
  return [
    roleInNamespace,
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

/** Grants the backend's ServiceAccount these ClusterRoles cluster-wide (what deploy/README.md has an adopter do). */
async function bindClusterRoles(cluster: SeedTarget, roles: string[]) {
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
