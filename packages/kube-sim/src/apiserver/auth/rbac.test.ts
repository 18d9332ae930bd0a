/** RBAC through the API: denial with the real message, grants by Role/ClusterRole bindings, reviews. */
import {
  AuthorizationV1Api,
  CoreV1Api,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import { startTestServer, type TestServer } from '../testutil';

describe('RBAC', () => {
  let t: TestServer;
  let admin: CoreV1Api;

  beforeAll(async () => {
    t = await startTestServer({
      rbac: true,
      tokens: { 'alice-token': { username: 'alice', groups: ['devs'] } },
    });
    admin = t.kubeConfig().makeApiClient(CoreV1Api);
    await admin.createNamespace({ body: { metadata: { name: 'team' } } });
    await admin.createNamespace({ body: { metadata: { name: 'other' } } });
  });
  afterAll(() => t.stop());

  it('denies what is not granted with the real Forbidden message', async () => {
    const alice = t.kubeConfig('alice-token').makeApiClient(CoreV1Api);
    await expect(alice.listPersistentVolume()).rejects.toMatchObject({
      code: 403,
    });
    const res = await t.request('GET', '/api/v1/persistentvolumes', undefined, {
      Authorization: 'Bearer alice-token',
    });
    expect(res.body).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message:
        'persistentvolumes is forbidden: User "alice" cannot list resource "persistentvolumes" in API group "" at the cluster scope',
    });
    const named = await t.request(
      'GET',
      '/api/v1/namespaces/team/pods/x/log',
      undefined,
      { Authorization: 'Bearer alice-token' },
    );
    expect(named.body.message).toBe(
      'pods "x" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "team"',
    );
    // discovery is open to every authenticated user
    expect(
      (
        await t.request('GET', '/api/v1', undefined, {
          Authorization: 'Bearer alice-token',
        })
      ).status,
    ).toBe(200);
  });

  it('grants namespace-scoped rights through a RoleBinding, and only there', async () => {
    const rbac = t.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: 'team',
      body: {
        metadata: { name: 'pvc-reader' },
        rules: [
          {
            apiGroups: [''],
            resources: ['persistentvolumeclaims', 'pods/log'],
            verbs: ['get', 'list', 'watch'],
          },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: 'team',
      body: {
        metadata: { name: 'devs-read' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'pvc-reader',
        },
        subjects: [{ kind: 'Group', name: 'devs' }],
      },
    });
    const alice = t.kubeConfig('alice-token').makeApiClient(CoreV1Api);
    await alice.listNamespacedPersistentVolumeClaim({ namespace: 'team' });
    await expect(
      alice.listNamespacedPersistentVolumeClaim({ namespace: 'other' }),
    ).rejects.toMatchObject({ code: 403 });
    await expect(
      alice.createNamespacedPersistentVolumeClaim({
        namespace: 'team',
        body: {
          metadata: { name: 'x' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '1Gi' } },
          },
        },
      }),
    ).rejects.toMatchObject({ code: 403 });

    const authz = t.kubeConfig('alice-token').makeApiClient(AuthorizationV1Api);
    const yes = await authz.createSelfSubjectAccessReview({
      body: {
        spec: {
          resourceAttributes: {
            namespace: 'team',
            verb: 'list',
            resource: 'persistentvolumeclaims',
          },
        },
      },
    });
    expect(yes.status!.allowed).toBe(true);
    const no = await authz.createSelfSubjectAccessReview({
      body: {
        spec: {
          resourceAttributes: {
            namespace: 'team',
            verb: 'delete',
            resource: 'persistentvolumeclaims',
          },
        },
      },
    });
    expect(no.status!.allowed).toBe(false);
  });

  it('authenticates service accounts by TokenRequest and applies their bindings', async () => {
    await admin.createNamespacedServiceAccount({
      namespace: 'team',
      body: { metadata: { name: 'engine' } },
    });
    const tr = await admin.createNamespacedServiceAccountToken({
      name: 'engine',
      namespace: 'team',
      body: { spec: { audiences: [] } },
    });
    const token = tr.status!.token;
    const sa = t.kubeConfig(token).makeApiClient(CoreV1Api);
    const denied = await t.request(
      'GET',
      '/api/v1/namespaces/team/secrets',
      undefined,
      { Authorization: `Bearer ${token}` },
    );
    expect(denied.body.message).toContain(
      'User "system:serviceaccount:team:engine" cannot list resource "secrets"',
    );
    const rbac = t.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRoleBinding({
      namespace: 'team',
      body: {
        metadata: { name: 'engine-edit' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'edit',
        },
        subjects: [
          { kind: 'ServiceAccount', name: 'engine', namespace: 'team' },
        ],
      },
    });
    await sa.listNamespacedSecret({ namespace: 'team' });
    await admin.deleteNamespacedServiceAccount({
      name: 'engine',
      namespace: 'team',
    });
    await expect(
      sa.listNamespacedSecret({ namespace: 'team' }),
    ).rejects.toMatchObject({ code: 401 });
  });

  it('prevents escalation: roles and bindings only with permissions already held', async () => {
    const rbacAdmin = t.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
    await rbacAdmin.createNamespacedRole({
      namespace: 'team',
      body: {
        metadata: { name: 'rbac-writer' },
        rules: [
          {
            apiGroups: ['rbac.authorization.k8s.io'],
            resources: ['roles', 'rolebindings'],
            verbs: ['create', 'get'],
          },
        ],
      },
    });
    await rbacAdmin.createNamespacedRoleBinding({
      namespace: 'team',
      body: {
        metadata: { name: 'devs-rbac' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'rbac-writer',
        },
        subjects: [{ kind: 'Group', name: 'devs' }],
      },
    });
    const auth = { Authorization: 'Bearer alice-token' };
    const within = await t.request(
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles',
      {
        metadata: { name: 'read-pvcs' },
        rules: [
          {
            apiGroups: [''],
            resources: ['persistentvolumeclaims'],
            verbs: ['get', 'list'],
          },
        ],
      },
      auth,
    );
    expect(within.status).toBe(201);
    const beyond = await t.request(
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles',
      {
        metadata: { name: 'read-secrets' },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
      },
      auth,
    );
    expect(beyond.status).toBe(403);
    expect(beyond.body.message).toContain(
      'is attempting to grant RBAC permissions not currently held',
    );
    const bindAdmin = await t.request(
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings',
      {
        metadata: { name: 'me-admin' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'admin',
        },
        subjects: [{ kind: 'User', name: 'alice' }],
      },
      auth,
    );
    expect(bindAdmin.status).toBe(403);
    const bindOwn = await t.request(
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings',
      {
        metadata: { name: 'bob-read' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'read-pvcs',
        },
        subjects: [{ kind: 'User', name: 'bob' }],
      },
      auth,
    );
    expect(bindOwn.status).toBe(201);
  });

  it('lists the rules of the requester (kubectl auth can-i --list)', async () => {
    const res = await t.request(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
      { spec: { namespace: 'team' } },
      { Authorization: 'Bearer alice-token' },
    );
    expect(res.status).toBe(201);
    expect(res.body.status.resourceRules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          resources: ['persistentvolumeclaims', 'pods/log'],
        }),
      ]),
    );
    expect(res.body.status.nonResourceRules.length).toBeGreaterThan(0);
  });

  it('fills legacy service-account token Secrets and accepts their tokens', async () => {
    await admin.createNamespacedServiceAccount({
      namespace: 'team',
      body: { metadata: { name: 'portal' } },
    });
    await admin.createNamespacedSecret({
      namespace: 'team',
      body: {
        metadata: {
          name: 'portal-token',
          annotations: { 'kubernetes.io/service-account.name': 'portal' },
        },
        type: 'kubernetes.io/service-account-token',
      },
    });
    const secret = await admin.readNamespacedSecret({
      name: 'portal-token',
      namespace: 'team',
    });
    expect(Buffer.from(secret.data!['ca.crt'], 'base64').toString()).toBe(
      t.ca.certPem,
    );
    const token = Buffer.from(secret.data!.token, 'base64').toString();
    const whoami = await t.request(
      'GET',
      '/api/v1/namespaces/team/configmaps',
      undefined,
      { Authorization: `Bearer ${token}` },
    );
    expect(whoami.status).toBe(403);
    expect(whoami.body.message).toContain(
      'User "system:serviceaccount:team:portal"',
    );
  });

  it('validates RBAC objects', async () => {
    const res = await t.request(
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings',
      {
        metadata: { name: 'bad' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Thing',
          name: 'x',
        },
        subjects: [{ kind: 'User', name: 'bob' }],
      },
    );
    expect(res.status).toBe(422);
    expect(res.body.details.causes[0]).toMatchObject({
      reason: 'FieldValueNotSupported',
      field: 'roleRef.kind',
    });
  });
});
