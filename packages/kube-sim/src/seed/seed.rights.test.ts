/**
 * The seeded backend ServiceAccount may do exactly what deploy/README.md says an adopter grants it: the
 * bindings are read from the README's commands, the rules from deploy/rbac/, and the API server is asked
 * (SelfSubjectRulesReview and SelfSubjectAccessReview, as the admin impersonating the ServiceAccount, as
 * `kubectl auth can-i --as` does). Seeded on a bare API server: the demo's workloads need no kubelet here.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AuthorizationV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { serviceAccountUser } from '../apiserver/auth/authn';
import { MASTER, startTestApiServer } from '../testing/apiServer';
import type { TestApiServer } from '../testing/apiServer';
import { PACKAGE_DIR } from '../lib/packageDir';
import {
  BACKEND_CLUSTER_ROLES,
  BACKEND_NAMESPACE,
  BACKEND_NAMESPACE_ROLES,
  BACKEND_SERVICE_ACCOUNT,
  demoManifests,
  readManifests,
  seedDemoCluster,
  type SeedTarget,
} from './index';

const DEPLOY_DIR = join(PACKAGE_DIR, '../../deploy');
const BACKEND = `system:serviceaccount:${BACKEND_NAMESPACE}:${BACKEND_SERVICE_ACCOUNT}`;
/** a ServiceAccount with the same groups and nothing bound: what every such identity may do anyway */
const UNBOUND = `system:serviceaccount:${BACKEND_NAMESPACE}:default`;
const ADMIN_TOKEN = 'admin';

interface DocumentedBinding {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  role: string;
  serviceAccount: string;
}

/** The `kubectl create clusterrolebinding|rolebinding` commands of deploy/README.md. */
function documentedBindings(): DocumentedBinding[] {
  const text = readFileSync(join(DEPLOY_DIR, 'README.md'), 'utf8').replace(
    /\\\n\s*/g,
    ' ',
  );
  const out: DocumentedBinding[] = [];
  for (const m of text.matchAll(
    /create (clusterrolebinding|rolebinding) \S+\s+--(clusterrole|role) (\S+)\s+--serviceaccount (\S+)/g,
  ))
    out.push({
      kind:
        m[1] === 'clusterrolebinding' ? 'ClusterRoleBinding' : 'RoleBinding',
      role: m[3],
      serviceAccount: m[4],
    });
  return out;
}

type Rule = {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
};

/** One rule as a comparable string (fields in a fixed order, empty ones left out). */
function ruleKey(r: Rule): string {
  const fields: (keyof Rule)[] = [
    'apiGroups',
    'resources',
    'resourceNames',
    'nonResourceURLs',
    'verbs',
  ];
  return JSON.stringify(
    fields.filter(f => (r[f] ?? []).length > 0).map(f => [f, r[f]]),
  );
}

const sorted = (rules: Rule[]) => rules.map(ruleKey).sort();

describe.each([
  { name: 'east', openshift: false },
  { name: 'west', openshift: true },
])('the seeded backend identity on $name', ({ name, openshift }) => {
  let srv: TestApiServer;
  let deploy: KubernetesObject[];
  let backendToken: string;
  const bindings = documentedBindings();
  const demoNamespaces = demoManifests(name as 'east' | 'west')
    .filter(m => m.kind === 'Namespace')
    .map(m => m.metadata.name as string);

  /** the admin's kubeconfig, acting as `user` (the kubeconfig's `as`, sent as Impersonate-User) */
  const as = (user: string) => {
    const admin = srv.kubeConfig(ADMIN_TOKEN);
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: admin.clusters,
      contexts: admin.contexts,
      currentContext: admin.currentContext,
      users: admin.users.map(u => ({ ...u, impersonateUser: user })),
    });
    return kc.makeApiClient(AuthorizationV1Api);
  };
  const rulesOf = async (api: AuthorizationV1Api, namespace: string) => {
    const review = await api.createSelfSubjectRulesReview({
      body: { spec: { namespace } },
    });
    expect(review.status!.incomplete).toBe(false);
    return [
      ...(review.status!.resourceRules as Rule[]),
      ...(review.status!.nonResourceRules as Rule[]),
    ];
  };
  const roleRules = (kind: string, role: string): Rule[] => {
    const found = deploy.find(
      m => m.kind === kind && m.metadata?.name === role,
    ) as KubernetesObject & { rules?: Rule[] };
    if (!found) throw new Error(`${kind} ${role} is not in deploy/rbac`);
    return found.rules ?? [];
  };
  /** what the README's bindings grant in `namespace`: every ClusterRoleBinding, RoleBindings there */
  const documentedRules = (namespace: string): Rule[] =>
    bindings.flatMap(b => {
      if (b.kind === 'ClusterRoleBinding')
        return roleRules('ClusterRole', b.role);
      return demoNamespaces.includes(namespace)
        ? roleRules('Role', b.role)
        : [];
    });

  beforeAll(async () => {
    srv = await startTestApiServer({
      name,
      openshift,
      tokens: { [ADMIN_TOKEN]: MASTER },
    });
    const target: SeedTarget = {
      name,
      kubeConfig: () => srv.kubeConfig(ADMIN_TOKEN),
      serviceAccountKubeConfig(namespace, sa) {
        const token = randomBytes(24).toString('base64url');
        srv.api.addToken(token, serviceAccountUser(namespace, sa));
        return { token, kubeConfig: srv.kubeConfig(token) };
      },
    };
    ({ backendToken } = await seedDemoCluster(target, {
      deployDir: DEPLOY_DIR,
    }));
    deploy = await readManifests(join(DEPLOY_DIR, 'rbac'));
  });
  afterAll(() => srv?.stop());

  it('makes exactly the bindings deploy/README.md tells an adopter to make, and none of kep-edit', async () => {
    expect(bindings.map(b => b.serviceAccount)).toEqual(
      bindings.map(() => `${BACKEND_NAMESPACE}:${BACKEND_SERVICE_ACCOUNT}`),
    );
    const documentedClusterRoles = bindings
      .filter(b => b.kind === 'ClusterRoleBinding')
      .map(b => b.role);
    const documentedRoles = bindings
      .filter(b => b.kind === 'RoleBinding')
      .map(b => b.role);
    expect([...documentedClusterRoles].sort()).toEqual(
      [...BACKEND_CLUSTER_ROLES].sort(),
    );
    expect([...documentedRoles].sort()).toEqual(
      [...BACKEND_NAMESPACE_ROLES].sort(),
    );
    expect(bindings.map(b => b.role)).not.toContain(
      'namespace-transfer-kep-edit',
    );

    // what the cluster holds: every binding naming the ServiceAccount, and any binding of kep-edit
    const rbac = srv
      .kubeConfig(ADMIN_TOKEN)
      .makeApiClient(RbacAuthorizationV1Api);
    const isBackend = (b: { subjects?: any[] }) =>
      (b.subjects ?? []).some(
        s =>
          s.kind === 'ServiceAccount' &&
          s.name === BACKEND_SERVICE_ACCOUNT &&
          s.namespace === BACKEND_NAMESPACE,
      );
    const clusterBindings = (await rbac.listClusterRoleBinding()).items;
    expect(
      clusterBindings
        .filter(isBackend)
        .map(b => b.roleRef.name)
        .sort(),
    ).toEqual([...documentedClusterRoles].sort());
    const roleBindings = (await rbac.listRoleBindingForAllNamespaces()).items;
    expect(
      roleBindings
        .filter(isBackend)
        .map(
          b => `${b.metadata!.namespace}/${b.roleRef.kind}/${b.roleRef.name}`,
        )
        .sort(),
    ).toEqual(
      demoNamespaces
        .flatMap(ns => documentedRoles.map(r => `${ns}/Role/${r}`))
        .sort(),
    );
    expect(
      [...clusterBindings, ...roleBindings].filter(
        b => b.roleRef.name === 'namespace-transfer-kep-edit',
      ),
    ).toEqual([]);
    // applied for namespace users (aggregation on a real cluster), bound to nobody
    expect(
      (await rbac.readClusterRole({ name: 'namespace-transfer-kep-edit' }))
        .metadata!.name,
    ).toBe('namespace-transfer-kep-edit');
  });

  it('has the rules of the documented roles, and nothing else, in a demo namespace, kube-system and its own', async () => {
    const backend = as(BACKEND);
    const unbound = as(UNBOUND);
    for (const namespace of [
      ...demoNamespaces,
      'kube-system',
      BACKEND_NAMESPACE,
    ]) {
      const everyone = await rulesOf(unbound, namespace);
      expect(sorted(await rulesOf(backend, namespace))).toEqual(
        sorted([...everyone, ...documentedRules(namespace)]),
      );
    }
    // the token the seed hands the portal is that same identity
    const viaToken = srv
      .kubeConfig(backendToken)
      .makeApiClient(AuthorizationV1Api);
    expect(sorted(await rulesOf(viaToken, demoNamespaces[0]))).toEqual(
      sorted(await rulesOf(backend, demoNamespaces[0])),
    );
  });

  it('answers kubectl auth can-i --as for what matters', async () => {
    const backend = as(BACKEND);
    const demo = demoNamespaces[0];
    const canI = async (
      verb: string,
      resource: string,
      namespace?: string,
      group = '',
      subresource?: string,
    ) =>
      (
        await backend.createSelfSubjectAccessReview({
          body: {
            spec: {
              resourceAttributes: {
                verb,
                group,
                resource,
                subresource,
                namespace,
              },
            },
          },
        })
      ).status!.allowed;
    const KEP = 'transfer.namespace-transfer.io';
    const expected: [string, string, string | undefined, string, boolean][] = [
      // the KEP: watch requests and approvals, write a request's status; never approve or request
      ['create', 'namespacetransferapprovals', demo, KEP, false],
      ['update', 'namespacetransferapprovals', demo, KEP, false],
      ['delete', 'namespacetransferapprovals', demo, KEP, false],
      ['create', 'namespacetransferrequests', demo, KEP, false],
      ['watch', 'namespacetransferapprovals', demo, KEP, true],
      // copy mode in a demo namespace only
      ['get', 'secrets', demo, '', true],
      ['create', 'pods', demo, '', true],
      ['get', 'secrets', 'kube-system', '', false],
      ['list', 'secrets', 'kube-system', '', false],
      ['create', 'pods', 'kube-system', '', false],
      ['create', 'services', 'kube-system', '', false],
      ['list', 'secrets', BACKEND_NAMESPACE, '', false],
      ['list', 'secrets', undefined, '', false],
      // volumes: read and rebind, never delete
      ['update', 'persistentvolumes', undefined, '', true],
      ['delete', 'persistentvolumes', undefined, '', false],
      // nothing that leads to more rights
      [
        'create',
        'clusterrolebindings',
        undefined,
        'rbac.authorization.k8s.io',
        false,
      ],
      ['create', 'rolebindings', demo, 'rbac.authorization.k8s.io', false],
      ['impersonate', 'serviceaccounts', BACKEND_NAMESPACE, '', false],
      ['delete', 'nodes', undefined, '', false],
      // The rebind ClusterRole is bound cluster-wide (PersistentVolumes are cluster-scoped), so its
      // namespaced rules hold everywhere, kube-system included, as deploy/README.md says.
      ['update', 'deployments', 'kube-system', 'apps', true],
      ['delete', 'persistentvolumeclaims', 'kube-system', '', true],
    ];
    for (const [verb, resource, namespace, group, allowed] of expected)
      expect([
        verb,
        resource,
        namespace,
        await canI(verb, resource, namespace, group),
      ]).toEqual([verb, resource, namespace, allowed]);
    expect(
      await canI('update', 'namespacetransferrequests', demo, KEP, 'status'),
    ).toBe(true);
  });
});
