/** Impersonation: the header parsing and checks, then through the real server (raw HTTPS with the headers). */
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../testutil';
import {
  impersonate,
  impersonationAttributes,
  impersonationRequests,
  splitServiceAccountUsername,
} from './impersonation';
import type { Attributes } from './rbac';

const alice = { username: 'alice', groups: ['system:authenticated'] };
const allowAll = () => ({ allowed: true, reason: '' });

describe('impersonation headers', () => {
  it('reads a service account user name as the real server does', () => {
    expect(
      splitServiceAccountUsername('system:serviceaccount:ns:name'),
    ).toEqual({ namespace: 'ns', name: 'name' });
    expect(
      splitServiceAccountUsername('system:serviceaccount:ns:a:b'),
    ).toBeUndefined();
    expect(
      splitServiceAccountUsername('system:serviceaccount:NS:name'),
    ).toBeUndefined();
    expect(splitServiceAccountUsername('system:serviceaccounts:ns')).toBe(
      undefined,
    );
  });

  it('lists user, groups, extras and uid in order, each checked as its resource', () => {
    const requests = impersonationRequests({
      'impersonate-user': ['bob'],
      'impersonate-group': ['devs', 'ops'],
      'impersonate-extra-acme.com%2fproject': ['x', 'y'],
      'impersonate-uid': ['1234'],
    });
    expect(requests).toEqual([
      { kind: 'User', name: 'bob' },
      { kind: 'Group', name: 'devs' },
      { kind: 'Group', name: 'ops' },
      { kind: 'UserExtra', key: 'acme.com/project', value: 'x' },
      { kind: 'UserExtra', key: 'acme.com/project', value: 'y' },
      { kind: 'UID', name: '1234' },
    ]);
    const attrs = requests.map(r => impersonationAttributes(alice, r));
    expect(
      attrs.map(a => [a.verb, a.apiGroup, a.resource, a.subresource, a.name]),
    ).toEqual([
      ['impersonate', '', 'users', undefined, 'bob'],
      ['impersonate', '', 'groups', undefined, 'devs'],
      ['impersonate', '', 'groups', undefined, 'ops'],
      [
        'impersonate',
        'authentication.k8s.io',
        'userextras',
        'acme.com/project',
        'x',
      ],
      [
        'impersonate',
        'authentication.k8s.io',
        'userextras',
        'acme.com/project',
        'y',
      ],
      ['impersonate', 'authentication.k8s.io', 'uids', undefined, '1234'],
    ]);
    expect(
      impersonationAttributes(alice, {
        kind: 'ServiceAccount',
        namespace: 'ns',
        name: 'sa',
      }),
    ).toMatchObject({
      resource: 'serviceaccounts',
      namespace: 'ns',
      name: 'sa',
    });
  });

  it('refuses groups, extras or a uid without a user (500, as the real filter)', () => {
    for (const headers of [
      { 'impersonate-group': ['devs'] },
      { 'impersonate-extra-scopes': ['x'] },
      { 'impersonate-uid': ['1'] },
    ])
      expect(() => impersonate(alice, headers, allowAll, '/api')).toThrow(
        expect.objectContaining({
          status: expect.objectContaining({
            code: 500,
            message: expect.stringMatching(
              /^Internal Server Error: "\/api": requested \[.*\] without impersonating a user$/,
            ),
          }),
        }),
      );
  });

  it('builds the impersonated user: service account groups, system:authenticated, uid and extras', () => {
    expect(impersonate(alice, {}, allowAll)).toBe(alice);
    expect(
      impersonate(
        alice,
        { 'impersonate-user': ['system:serviceaccount:ns:sa'] },
        allowAll,
      ),
    ).toEqual({
      username: 'system:serviceaccount:ns:sa',
      groups: [
        'system:serviceaccounts',
        'system:serviceaccounts:ns',
        'system:authenticated',
      ],
    });
    // groups given are the authority, system:authenticated is still added
    expect(
      impersonate(
        alice,
        {
          'impersonate-user': ['system:serviceaccount:ns:sa'],
          'impersonate-group': ['devs'],
        },
        allowAll,
      ).groups,
    ).toEqual(['devs', 'system:authenticated']);
    expect(
      impersonate(alice, { 'impersonate-user': ['bob'] }, allowAll),
    ).toEqual({ username: 'bob', groups: ['system:authenticated'] });
    expect(
      impersonate(
        alice,
        {
          'impersonate-user': ['bob'],
          'impersonate-uid': ['u-1'],
          'impersonate-extra-scopes': ['a', 'b'],
        },
        allowAll,
      ),
    ).toEqual({
      username: 'bob',
      groups: ['system:authenticated'],
      uid: 'u-1',
      extra: { scopes: ['a', 'b'] },
    });
    expect(
      impersonate(alice, { 'impersonate-user': ['system:anonymous'] }, allowAll)
        .groups,
    ).toEqual(['system:unauthenticated']);
  });

  it('asks the authorizer as the requestor and stops at the first refusal', () => {
    const asked: Attributes[] = [];
    const authorize = (a: Attributes) => {
      asked.push(a);
      return { allowed: a.resource !== 'groups', reason: '' };
    };
    expect(() =>
      impersonate(
        alice,
        {
          'impersonate-user': ['bob'],
          'impersonate-group': ['devs'],
          'impersonate-uid': ['1'],
        },
        authorize,
      ),
    ).toThrow(
      'groups "devs" is forbidden: User "alice" cannot impersonate resource "groups" in API group "" at the cluster scope',
    );
    expect(asked.map(a => [a.user.username, a.resource])).toEqual([
      ['alice', 'users'],
      ['alice', 'groups'],
    ]);
  });
});

describe('impersonation through the API server', () => {
  let t: TestServer;
  const SA = 'system:serviceaccount:team:engine';
  const as = (user: string, token = ADMIN_TOKEN) => ({
    Authorization: `Bearer ${token}`,
    'Impersonate-User': user,
  });
  const canI = async (
    headers: Record<string, any>,
    resourceAttributes: Record<string, string>,
  ) => {
    const res = await t.request(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      { spec: { resourceAttributes } },
      headers,
    );
    expect(res.status).toBe(201);
    return res.body.status.allowed as boolean;
  };
  const whoami = async (headers: Record<string, any>) => {
    const res = await t.request(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      headers,
    );
    expect(res.status).toBe(201);
    return res.body.status.userInfo;
  };
  const create = async (path: string, body: unknown) => {
    const res = await t.request('POST', path, body);
    expect(res.status).toBe(201);
  };
  const binding = (
    kind: 'RoleBinding' | 'ClusterRoleBinding',
    name: string,
    roleKind: 'Role' | 'ClusterRole',
    role: string,
    subject: Record<string, string>,
  ) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: roleKind,
      name: role,
    },
    subjects: [subject],
  });

  beforeAll(async () => {
    t = await startTestServer({
      rbac: true,
      tokens: {
        'alice-token': { username: 'alice', groups: [] },
        'carol-token': { username: 'carol', groups: [] },
        'editor-token': { username: 'editor', groups: [] },
      },
    });
    for (const ns of ['team', 'other'])
      await create('/api/v1/namespaces', { metadata: { name: ns } });
    await create('/api/v1/namespaces/team/serviceaccounts', {
      metadata: { name: 'engine' },
    });
    await create('/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles', {
      metadata: { name: 'pod-reader' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
    });
    await create(
      '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings',
      binding('RoleBinding', 'engine-pods', 'Role', 'pod-reader', {
        kind: 'ServiceAccount',
        name: 'engine',
        namespace: 'team',
      }),
    );
    // carol may impersonate the user bob only, and his groups, uid and extras
    await create('/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      metadata: { name: 'impersonate-bob' },
      rules: [
        {
          apiGroups: [''],
          resources: ['users'],
          verbs: ['impersonate'],
          resourceNames: ['bob'],
        },
        {
          apiGroups: [''],
          resources: ['groups'],
          verbs: ['impersonate'],
          resourceNames: ['devs'],
        },
        {
          apiGroups: ['authentication.k8s.io'],
          resources: ['uids', 'userextras/*'],
          verbs: ['impersonate'],
        },
      ],
    });
    await create(
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
      binding('ClusterRoleBinding', 'carol', 'ClusterRole', 'impersonate-bob', {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'User',
        name: 'carol',
      }),
    );
    // editor has the bootstrap edit role in team, which lets them act as team's service accounts
    await create(
      '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings',
      binding('RoleBinding', 'editor', 'ClusterRole', 'edit', {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'User',
        name: 'editor',
      }),
    );
  });
  afterAll(() => t.stop());

  it('answers as the impersonated service account: requests, access reviews, rules reviews', async () => {
    // the admin itself may delete nodes...
    expect(await canI({}, { verb: 'delete', resource: 'nodes' })).toBe(true);
    // ...the service account it impersonates may not (kubectl --as=... auth can-i delete nodes)
    expect(await canI(as(SA), { verb: 'delete', resource: 'nodes' })).toBe(
      false,
    );
    expect(
      await canI(as(SA), { verb: 'list', resource: 'pods', namespace: 'team' }),
    ).toBe(true);
    expect(
      await canI(as(SA), {
        verb: 'list',
        resource: 'pods',
        namespace: 'other',
      }),
    ).toBe(false);

    expect(
      (
        await t.request(
          'GET',
          '/api/v1/namespaces/team/pods',
          undefined,
          as(SA),
        )
      ).status,
    ).toBe(200);
    const denied = await t.request('GET', '/api/v1/nodes', undefined, as(SA));
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe(
      `nodes is forbidden: User "${SA}" cannot list resource "nodes" in API group "" at the cluster scope`,
    );

    const rules = await t.request(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
      { spec: { namespace: 'team' } },
      as(SA),
    );
    expect(rules.status).toBe(201);
    expect(rules.body.status.resourceRules).toContainEqual({
      apiGroups: [''],
      resources: ['pods'],
      verbs: ['get', 'list'],
    });
    expect(rules.body.status.resourceRules).not.toContainEqual(
      expect.objectContaining({ verbs: ['*'] }),
    );

    expect(await whoami(as(SA))).toEqual({
      username: SA,
      groups: [
        'system:serviceaccounts',
        'system:serviceaccounts:team',
        'system:authenticated',
      ],
    });
  });

  it('refuses a user without impersonate rights with the real 403', async () => {
    const user = await t.request(
      'GET',
      '/api/v1/namespaces/team/pods',
      undefined,
      as('bob', 'alice-token'),
    );
    expect(user.status).toBe(403);
    expect(user.body).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message:
        'users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope',
      details: { name: 'bob', kind: 'users' },
    });
    const sa = await t.request(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      { spec: { resourceAttributes: { verb: 'list', resource: 'pods' } } },
      as(SA, 'alice-token'),
    );
    expect(sa.status).toBe(403);
    expect(sa.body.message).toBe(
      'serviceaccounts "engine" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "team"',
    );
  });

  it('checks each part: the user by name, each group, the uid and each extra value', async () => {
    expect(await whoami(as('bob', 'carol-token'))).toEqual({
      username: 'bob',
      groups: ['system:authenticated'],
    });
    const other = await t.request(
      'GET',
      '/api',
      undefined,
      as('mallory', 'carol-token'),
    );
    expect(other.status).toBe(403);
    expect(other.body.message).toBe(
      'users "mallory" is forbidden: User "carol" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    expect(
      await whoami({
        ...as('bob', 'carol-token'),
        'Impersonate-Group': ['devs'],
        'Impersonate-Uid': 'u-1',
        'Impersonate-Extra-Acme.com%2Fproject': ['a', 'b'],
      }),
    ).toEqual({
      username: 'bob',
      uid: 'u-1',
      groups: ['devs', 'system:authenticated'],
      extra: { 'acme.com/project': ['a', 'b'] },
    });
    // Impersonate-Group is repeatable: every group is checked
    const groups = await t.request('GET', '/api', undefined, {
      ...as('bob', 'carol-token'),
      'Impersonate-Group': ['devs', 'system:masters'],
    } as any);
    expect(groups.status).toBe(403);
    expect(groups.body.message).toBe(
      'groups "system:masters" is forbidden: User "carol" cannot impersonate resource "groups" in API group "" at the cluster scope',
    );
    const noUser = await t.request('GET', '/api', undefined, {
      'Impersonate-Group': 'devs',
    });
    expect(noUser.status).toBe(500);
    expect(noUser.body.message).toMatch(/without impersonating a user$/);
  });

  it('lets a namespace editor act as the service accounts of that namespace only', async () => {
    expect(
      await canI(as(SA, 'editor-token'), {
        verb: 'list',
        resource: 'pods',
        namespace: 'team',
      }),
    ).toBe(true);
    // acting as the service account, the editor has only its rights
    expect(
      await canI(as(SA, 'editor-token'), {
        verb: 'create',
        resource: 'pods',
        namespace: 'team',
      }),
    ).toBe(false);
    const elsewhere = await t.request(
      'GET',
      '/api',
      undefined,
      as('system:serviceaccount:other:default', 'editor-token'),
    );
    expect(elsewhere.status).toBe(403);
  });

  it('applies fault rules to the impersonated user', async () => {
    const fault = t.server.faults.add({
      user: SA,
      verb: 'list',
      resource: 'pods',
      status: 503,
      count: 1,
    });
    try {
      expect(
        (await t.request('GET', '/api/v1/namespaces/team/pods')).status,
      ).toBe(200);
      expect(
        (
          await t.request(
            'GET',
            '/api/v1/namespaces/team/pods',
            undefined,
            as(SA),
          )
        ).status,
      ).toBe(503);
      expect(fault.hits).toBe(1);
    } finally {
      fault.remove();
    }
  });
});
