/**
 * The two seeded ServiceAccounts may do exactly what deploy/ grants them when an adopter applies it (the
 * portal's: the reader alone, nothing that writes, no Secrets; the engine's: rebind, and copy where bound):
 * the bindings are read from deploy/'s binding objects (cluster-wide ones of the base, the copy RoleBindings
 * of the overlay example, made here in every demo namespace), the rules from deploy/rbac/, and the API server is asked
 * (SelfSubjectRulesReview and SelfSubjectAccessReview, as the admin impersonating the ServiceAccount, as
 * `kubectl auth can-i --as` does). Seeded on a bare API server: the demo's workloads need no kubelet here.
 */
import { randomBytes } from 'node:crypto';
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
  BACKEND_NAMESPACE,
  BACKEND_SERVICE_ACCOUNT,
  demoManifests,
  ENGINE_SERVICE_ACCOUNT,
  readManifests,
  SEEDED_IDENTITIES,
  seedDemoCluster,
  type SeedTarget,
} from './index';

const DEPLOY_DIR = join(PACKAGE_DIR, '../../deploy');
const userOf = (serviceAccount: string) =>
  `system:serviceaccount:${BACKEND_NAMESPACE}:${serviceAccount}`;
const BACKEND = userOf(BACKEND_SERVICE_ACCOUNT);
const ENGINE = userOf(ENGINE_SERVICE_ACCOUNT);
/** a ServiceAccount with the same groups and nothing bound: what every such identity may do anyway */
const UNBOUND = `system:serviceaccount:${BACKEND_NAMESPACE}:default`;
const ADMIN_TOKEN = 'admin';

interface DocumentedBinding {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  roleKind: 'ClusterRole' | 'Role';
  role: string;
  /** `<namespace>:<name>` */
  serviceAccount: string;
  /** a RoleBinding in namespace-transfer-system itself (deploy/ fixes it); others' namespaces are the adopter's */
  own?: boolean;
}

type BindingObject = KubernetesObject & {
  roleRef: { kind: 'ClusterRole' | 'Role'; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
};

/**
 * The bindings deploy/ makes (its base and its overlay example), once per role and ServiceAccount: the
 * overlay's RoleBindings differ only in their namespaces, which the seed replaces with the demo's.
 */
async function documentedBindings(): Promise<DocumentedBinding[]> {
  const objects = (await readManifests(DEPLOY_DIR)).filter(
    m => m.kind === 'ClusterRoleBinding' || m.kind === 'RoleBinding',
  ) as BindingObject[];
  const out = new Map<string, DocumentedBinding>();
  for (const b of objects)
    for (const s of b.subjects ?? []) {
      if (s.kind !== 'ServiceAccount') continue;
      const binding: DocumentedBinding = {
        kind: b.kind as DocumentedBinding['kind'],
        roleKind: b.roleRef.kind,
        role: b.roleRef.name,
        serviceAccount: `${s.namespace}:${s.name}`,
        ...(b.kind === 'RoleBinding' &&
        b.metadata?.namespace === BACKEND_NAMESPACE
          ? { own: true }
          : {}),
      };
      out.set(JSON.stringify(binding), binding);
    }
  return [...out.values()];
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

/** verbs that only read */
const READ_VERBS = ['get', 'list', 'watch'];

describe.each([
  { name: 'east', openshift: false },
  { name: 'west', openshift: true },
])('the seeded identities on $name', ({ name, openshift }) => {
  let srv: TestApiServer;
  let deploy: KubernetesObject[];
  let backendToken: string;
  let engineToken: string;
  let bindings: DocumentedBinding[];
  const demoNamespaces = demoManifests(name as 'east' | 'west')
    .filter(m => m.kind === 'Namespace')
    .map(m => m.metadata.name as string);
  const namespaces = [...demoNamespaces, 'kube-system', BACKEND_NAMESPACE];

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
  const viaToken = (token: string) =>
    srv.kubeConfig(token).makeApiClient(AuthorizationV1Api);
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
  /** what deploy/'s bindings grant the ServiceAccount in `namespace`: its ClusterRoleBindings, its RoleBindings there */
  const documentedRules = (serviceAccount: string, namespace: string): Rule[] =>
    bindings
      .filter(
        b => b.serviceAccount === `${BACKEND_NAMESPACE}:${serviceAccount}`,
      )
      .flatMap(b => {
        if (b.kind === 'ClusterRoleBinding')
          return roleRules('ClusterRole', b.role);
        if (b.own)
          return namespace === BACKEND_NAMESPACE
            ? roleRules(b.roleKind, b.role)
            : [];
        return demoNamespaces.includes(namespace)
          ? roleRules(b.roleKind, b.role)
          : [];
      });
  /** `kubectl auth can-i --as` */
  const canI = async (
    api: AuthorizationV1Api,
    verb: string,
    resource: string,
    namespace?: string,
    group = '',
    subresource?: string,
  ) =>
    (
      await api.createSelfSubjectAccessReview({
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
  type Expected = [string, string, string | undefined, string, boolean];
  const expectCanI = async (api: AuthorizationV1Api, expected: Expected[]) => {
    for (const [verb, resource, namespace, group, allowed] of expected)
      expect([
        verb,
        resource,
        namespace,
        await canI(api, verb, resource, namespace, group),
      ]).toEqual([verb, resource, namespace, allowed]);
  };
  const KEP = 'transfer.namespace-transfer.io';

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
    bindings = await documentedBindings();
    ({ backendToken, engineToken } = await seedDemoCluster(target, {
      deployDir: DEPLOY_DIR,
    }));
    deploy = await readManifests(join(DEPLOY_DIR, 'rbac'));
  });
  afterAll(() => srv?.stop());

  it('makes exactly the bindings deploy/ makes, to two identities, and none of kep-edit', async () => {
    // deploy/: the reader to the portal's ServiceAccount, copy, rebind and the KEP Lease role in its own
    // namespace to the engine's, nothing else
    const documented = (serviceAccount: string, kind: string, own = false) =>
      bindings
        .filter(
          b =>
            b.serviceAccount === `${BACKEND_NAMESPACE}:${serviceAccount}` &&
            b.kind === kind &&
            !!b.own === own,
        )
        .map(b => b.role)
        .sort();
    expect(
      bindings
        .map(b => b.serviceAccount)
        .filter((v, i, a) => a.indexOf(v) === i)
        .sort(),
    ).toEqual(
      SEEDED_IDENTITIES.map(
        i => `${BACKEND_NAMESPACE}:${i.serviceAccount}`,
      ).sort(),
    );
    expect(documented(BACKEND_SERVICE_ACCOUNT, 'ClusterRoleBinding')).toEqual([
      'namespace-transfer-reader',
    ]);
    expect(documented(BACKEND_SERVICE_ACCOUNT, 'RoleBinding')).toEqual([]);
    expect(documented(ENGINE_SERVICE_ACCOUNT, 'ClusterRoleBinding')).toEqual([
      'namespace-transfer-rebind',
    ]);
    expect(documented(ENGINE_SERVICE_ACCOUNT, 'RoleBinding')).toEqual([
      'namespace-transfer-copy',
    ]);
    for (const identity of SEEDED_IDENTITIES) {
      expect(documented(identity.serviceAccount, 'ClusterRoleBinding')).toEqual(
        [...identity.clusterRoles].sort(),
      );
      expect(documented(identity.serviceAccount, 'RoleBinding')).toEqual(
        [...identity.namespaceRoles].sort(),
      );
      expect(documented(identity.serviceAccount, 'RoleBinding', true)).toEqual(
        [...identity.ownNamespaceRoles].sort(),
      );
    }
    expect(bindings.map(b => b.role)).not.toContain(
      'namespace-transfer-kep-edit',
    );

    // what the cluster holds: every binding naming a ServiceAccount of namespace-transfer-system, and any
    // binding of kep-edit
    const rbac = srv
      .kubeConfig(ADMIN_TOKEN)
      .makeApiClient(RbacAuthorizationV1Api);
    const subjectsOf = (b: { subjects?: any[] }) =>
      (b.subjects ?? [])
        .filter(
          s => s.kind === 'ServiceAccount' && s.namespace === BACKEND_NAMESPACE,
        )
        .map(s => s.name as string);
    const clusterBindings = (await rbac.listClusterRoleBinding()).items;
    expect(
      clusterBindings
        .flatMap(b =>
          subjectsOf(b).map(
            sa => `${sa} ${b.metadata!.name} ${b.roleRef.name}`,
          ),
        )
        .sort(),
    ).toEqual(
      [
        // e2e/volumes.test.mjs removes the reader's binding by this name
        `${BACKEND_SERVICE_ACCOUNT} namespace-transfer-reader-namespace-transfer namespace-transfer-reader`,
        `${ENGINE_SERVICE_ACCOUNT} namespace-transfer-rebind-${ENGINE_SERVICE_ACCOUNT} namespace-transfer-rebind`,
      ].sort(),
    );
    const roleBindings = (await rbac.listRoleBindingForAllNamespaces()).items;
    expect(
      roleBindings
        .flatMap(b =>
          subjectsOf(b).map(
            sa =>
              `${sa} ${b.metadata!.namespace}/${b.roleRef.kind}/${b.roleRef.name}`,
          ),
        )
        .sort(),
    ).toEqual(
      [
        ...demoNamespaces.map(
          ns =>
            `${ENGINE_SERVICE_ACCOUNT} ${ns}/ClusterRole/namespace-transfer-copy`,
        ),
        `${ENGINE_SERVICE_ACCOUNT} ${BACKEND_NAMESPACE}/Role/namespace-transfer-kep-leader`,
      ].sort(),
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

  it.each([
    { identity: 'portal', serviceAccount: BACKEND_SERVICE_ACCOUNT },
    { identity: 'engine', serviceAccount: ENGINE_SERVICE_ACCOUNT },
  ])(
    "gives the $identity's ServiceAccount the rules of its documented roles, and nothing else, in a demo namespace, kube-system and its own",
    async ({ serviceAccount }) => {
      const subject = as(userOf(serviceAccount));
      const unbound = as(UNBOUND);
      for (const namespace of namespaces) {
        const everyone = await rulesOf(unbound, namespace);
        expect(sorted(await rulesOf(subject, namespace))).toEqual(
          sorted([...everyone, ...documentedRules(serviceAccount, namespace)]),
        );
      }
    },
  );

  it("gives the portal's ServiceAccount nothing that writes and no Secrets, anywhere", async () => {
    for (const namespace of namespaces) {
      const everyone = new Set(sorted(await rulesOf(as(UNBOUND), namespace)));
      const own = (await rulesOf(as(BACKEND), namespace)).filter(
        r => !everyone.has(ruleKey(r)),
      );
      expect(own.length).toBeGreaterThan(0);
      for (const rule of own) {
        expect([
          namespace,
          rule.verbs!.filter(v => !READ_VERBS.includes(v)),
        ]).toEqual([namespace, []]);
        expect(rule.resources ?? []).not.toContain('secrets');
        expect(rule.resources ?? []).not.toContain('*');
      }
    }
  });

  it('hands out tokens of those same identities: backendToken the portal, engineToken the engine', async () => {
    for (const [token, user] of [
      [backendToken, BACKEND],
      [engineToken, ENGINE],
    ])
      for (const namespace of [demoNamespaces[0], 'kube-system'])
        expect(sorted(await rulesOf(viaToken(token), namespace))).toEqual(
          sorted(await rulesOf(as(user), namespace)),
        );
    expect(backendToken).not.toBe(engineToken);
  });

  it("answers kubectl auth can-i --as for what matters, for the portal's ServiceAccount", async () => {
    const demo = demoNamespaces[0];
    await expectCanI(as(BACKEND), [
      // the portal's read path: volumes and who uses them, the plan's cluster-wide reads
      ['list', 'persistentvolumeclaims', demo, '', true],
      ['list', 'pods', undefined, '', true],
      ['list', 'deployments', demo, 'apps', true],
      ['get', 'namespaces', undefined, '', true],
      ['list', 'storageclasses', undefined, 'storage.k8s.io', true],
      ['list', 'nodes', undefined, '', true],
      ['list', 'services', undefined, '', true],
      // no Secrets, anywhere
      ['get', 'secrets', demo, '', false],
      ['list', 'secrets', demo, '', false],
      ['list', 'secrets', undefined, '', false],
      // nothing that writes: no copy, no rebind, no KEP
      ['create', 'pods', demo, '', false],
      ['create', 'persistentvolumeclaims', demo, '', false],
      ['delete', 'persistentvolumeclaims', demo, '', false],
      ['delete', 'persistentvolumeclaims', 'kube-system', '', false],
      ['update', 'deployments', demo, 'apps', false],
      ['update', 'deployments', 'kube-system', 'apps', false],
      ['create', 'services', demo, '', false],
      ['get', 'persistentvolumes', undefined, '', false],
      ['update', 'persistentvolumes', undefined, '', false],
      ['create', 'namespacetransferrequests', demo, KEP, false],
      ['create', 'namespacetransferapprovals', demo, KEP, false],
      ['watch', 'namespacetransferapprovals', demo, KEP, false],
      [
        'create',
        'clusterrolebindings',
        undefined,
        'rbac.authorization.k8s.io',
        false,
      ],
      ['impersonate', 'serviceaccounts', BACKEND_NAMESPACE, '', false],
    ]);
    expect(
      await canI(
        as(BACKEND),
        'update',
        'namespacetransferrequests',
        demo,
        KEP,
        'status',
      ),
    ).toBe(false);
  });

  it("answers kubectl auth can-i --as for what matters, for the engine's ServiceAccount", async () => {
    const demo = demoNamespaces[0];
    await expectCanI(as(ENGINE), [
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
      // the reader is the portal's: not bound here (the plan warns about what it cannot read)
      ['list', 'nodes', undefined, '', false],
      ['list', 'services', undefined, '', false],
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
    ]);
    expect(
      await canI(
        as(ENGINE),
        'update',
        'namespacetransferrequests',
        demo,
        KEP,
        'status',
      ),
    ).toBe(true);
  });
});
