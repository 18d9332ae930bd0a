import {
  CoreV1Api,
  RbacAuthorizationV1Api,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { SimCluster } from '../cluster';
import { applyManifests, readManifests } from './apply';
import { demoManifests } from './demo';
import { installIngressNginxClass } from './ingressNginx';

export { applyManifests, readManifests } from './apply';
export { demoManifests, DEMO_CLUSTERS } from './demo';
export {
  installIngressNginxClass,
  ingressNginxClassObject,
} from './ingressNginx';

export const BACKEND_NAMESPACE = 'namespace-transfer-system';
/** The portal's identity: its token is the backend's `serviceAccountToken`, used to read (list volumes). */
export const BACKEND_SERVICE_ACCOUNT = 'namespace-transfer';
/** The engine's identity, in the same namespace: whoever runs transfers uses its token. */
export const ENGINE_SERVICE_ACCOUNT = 'namespace-transfer-engine';

/** What the seed uses of a cluster: a test can seed a bare API server. */
export type SeedTarget = Pick<
  SimCluster,
  'name' | 'kubeConfig' | 'serviceAccountKubeConfig'
>;

/**
 * What deploy/README.md tells an adopter to bind, and all the seed binds, per ServiceAccount of
 * `namespace-transfer-system`: ClusterRoles cluster-wide (ClusterRoleBinding `<role>-<serviceAccount>`) and
 * roles of deploy/ bound per namespace (copy) in every demo namespace (RoleBinding `<role>-<serviceAccount>`).
 * The portal's identity only reads; the engine's holds copy and rebind, and not the reader.
 */
export const SEEDED_IDENTITIES = [
  {
    serviceAccount: BACKEND_SERVICE_ACCOUNT,
    clusterRoles: ['namespace-transfer-reader'],
    namespaceRoles: [],
    ownNamespaceRoles: [],
  },
  {
    serviceAccount: ENGINE_SERVICE_ACCOUNT,
    clusterRoles: ['namespace-transfer-rebind'],
    namespaceRoles: ['namespace-transfer-copy'],
    // the KEP controller's leader election Lease lives in its own namespace
    ownNamespaceRoles: ['namespace-transfer-kep-leader'],
  },
] as const satisfies readonly {
  serviceAccount: string;
  clusterRoles: readonly string[];
  namespaceRoles: readonly string[];
  /** Roles deploy/ binds in namespace-transfer-system itself, with its own RoleBindings (applied as they are) */
  ownNamespaceRoles: readonly string[];
}[];

/** The ClusterRoles bound to the portal's ServiceAccount (the reader only). */
export const BACKEND_CLUSTER_ROLES = SEEDED_IDENTITIES[0].clusterRoles;
/** The ClusterRoles bound to the engine's ServiceAccount (rebind) ... */
export const ENGINE_CLUSTER_ROLES = SEEDED_IDENTITIES[1].clusterRoles;
/** ... and the Roles bound to it in every demo namespace (copy). */
export const ENGINE_NAMESPACE_ROLES = SEEDED_IDENTITIES[1].namespaceRoles;

/** What the seed takes from deploy/ as something other than an object to apply. */
const NOT_APPLIED_FROM_DEPLOY = new Set([
  'Kustomization',
  'RoleBinding',
  'ClusterRoleBinding',
]);

/**
 * Seeds a demo cluster: the manifests of `deploy/` (CRDs, RBAC) first, then the demo's namespaces,
 * storage classes, claims and workloads. Two ServiceAccounts get only what deploy/README.md says to bind
 * to them: the portal's (`backendToken`, the backend's read path) the reader ClusterRole alone, so a
 * compromised read path cannot write; the engine's (`engineToken`, for whoever runs transfers) the rebind
 * ClusterRole cluster-wide and the copy ClusterRole in each demo namespace. Every other role of `deploy/` is
 * applied and left unbound, above all `namespace-transfer-kep-edit` (creating and approving KEP objects is
 * for namespace users: the engine holding it could approve its own rebinds).
 */
export async function seedDemoCluster(
  cluster: SeedTarget,
  opts: { deployDir?: string } = {},
): Promise<{ backendToken: string; engineToken: string }> {
  const kc = cluster.kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  // The demo's copies may expose their servers through an Ingress: the demo installs its controller's class.
  await installIngressNginxClass(kc);
  await applyManifests(kc, [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: BACKEND_NAMESPACE },
    },
    ...SEEDED_IDENTITIES.map(({ serviceAccount }) => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: serviceAccount, namespace: BACKEND_NAMESPACE },
    })),
  ]);
  // deploy/ ships cluster-wide objects (CRDs, ClusterRoles), the two ServiceAccounts, and roles that an
  // operator binds in every namespace transfers may touch (a Role without a namespace, applied there, or a
  // ClusterRole bound there). It is also a kustomization: its Kustomization files are not objects, and its
  // bindings (an adopter's namespaces in deploy/overlays) are made here, for the demo's namespaces.
  // a RoleBinding in namespace-transfer-system is no adopter's choice: it is applied as it is
  const deploy = (
    opts.deployDir ? await readManifests(opts.deployDir) : []
  ).filter(
    m =>
      !NOT_APPLIED_FROM_DEPLOY.has(m.kind ?? '') ||
      (m.kind === 'RoleBinding' && m.metadata?.namespace === BACKEND_NAMESPACE),
  );
  const perNamespace = deploy.filter(
    m => m.kind === 'Role' && !m.metadata?.namespace,
  );
  const boundPerNamespace = deploy.filter(
    m =>
      m.kind === 'ClusterRole' &&
      SEEDED_IDENTITIES.some(identity =>
        (identity.namespaceRoles as readonly string[]).includes(
          m.metadata!.name!,
        ),
      ),
  );
  await applyManifests(
    kc,
    deploy.filter(m => !perNamespace.includes(m)),
  );
  const clusterRoles = new Set(
    deploy.filter(m => m.kind === 'ClusterRole').map(m => m.metadata!.name!),
  );
  for (const identity of SEEDED_IDENTITIES)
    await bindClusterRoles(
      cluster,
      identity.serviceAccount,
      identity.clusterRoles.filter(role => clusterRoles.has(role)),
    );
  const name = cluster.name === 'west' ? 'west' : 'east';
  const demo = demoManifests(name);
  await applyManifests(kc, demo);
  for (const ns of demo
    .filter(m => m.kind === 'Namespace')
    .map(m => m.metadata.name as string)) {
    await applyManifests(kc, [
      ...perNamespace.flatMap(role => namespacedRoleAndBindings(role, ns)),
      ...boundPerNamespace.flatMap(role => roleBindings(role, ns)),
    ]);
  }
  await core.listNamespace();
  const tokenOf = (serviceAccount: string) =>
    cluster.serviceAccountKubeConfig(BACKEND_NAMESPACE, serviceAccount).token;
  return {
    backendToken: tokenOf(BACKEND_SERVICE_ACCOUNT),
    engineToken: tokenOf(ENGINE_SERVICE_ACCOUNT),
  };
}

const serviceAccountSubject = (serviceAccount: string) => ({
  kind: 'ServiceAccount',
  name: serviceAccount,
  namespace: BACKEND_NAMESPACE,
});

/** The Role in the namespace, and its RoleBindings to the identities deploy/README.md says to bind it to. */
function namespacedRoleAndBindings(
  role: KubernetesObject,
  namespace: string,
): KubernetesObject[] {
  const roleInNamespace = {
    ...role,
    metadata: { ...role.metadata, namespace },
  };
  return [roleInNamespace, ...roleBindings(role, namespace)];
}

/** RoleBindings in the namespace of the role (a Role there, or a ClusterRole) to the identities it is for. */
function roleBindings(
  role: KubernetesObject,
  namespace: string,
): KubernetesObject[] {
  const name = role.metadata!.name!;
  return [
    ...SEEDED_IDENTITIES.filter(identity =>
      (identity.namespaceRoles as readonly string[]).includes(name),
    ).map(
      ({ serviceAccount }) =>
        ({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: `${name}-${serviceAccount}`, namespace },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: role.kind,
            name,
          },
          subjects: [serviceAccountSubject(serviceAccount)],
        }) as KubernetesObject,
    ),
  ];
}

/** Grants the ServiceAccount these ClusterRoles cluster-wide (what deploy/README.md has an adopter do). */
async function bindClusterRoles(
  cluster: SeedTarget,
  serviceAccount: string,
  roles: readonly string[],
) {
  const rbac = cluster.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
  for (const role of roles) {
    const body = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${role}-${serviceAccount}` },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: role,
      },
      subjects: [serviceAccountSubject(serviceAccount)],
    };
    await rbac.createClusterRoleBinding({ body }).catch((e: any) => {
      if (e?.code !== 409) throw e;
    });
  }
}
