/** The request trace: what RBAC saw of each answered request, recorded only while a recording is open. */
import { startTestServer, type TestServer } from './testutil';

describe('request trace', () => {
  let t: TestServer;
  const alice = 'alice-token';

  beforeAll(async () => {
    t = await startTestServer({
      rbac: true,
      tokens: {
        [alice]: { username: 'alice', groups: ['system:authenticated'] },
      },
    });
    const ns = await t.request('POST', '/api/v1/namespaces', {
      metadata: { name: 'shop' },
    });
    if (ns.status !== 201) throw new Error(`namespace: ${ns.text}`);
  });

  afterAll(() => t?.stop());

  const asAlice = { Authorization: `Bearer ${alice}` };

  it('records user, RBAC verb, group, resource, subresource, namespace, name and code of each request', async () => {
    const trace = t.server.trace();
    const requests: Array<[string, string, unknown?, Record<string, string>?]> =
      [
        [
          'POST',
          '/api/v1/namespaces/shop/configmaps',
          { metadata: { name: 'c' } },
        ],
        ['GET', '/api/v1/namespaces/shop/configmaps'],
        ['GET', '/api/v1/namespaces/shop/configmaps?watch=1&timeoutSeconds=1'],
        ['GET', '/api/v1/namespaces/shop/pods/p/log'],
        ['PUT', '/apis/apps/v1/namespaces/shop/deployments/d/scale', {}],
        [
          'PATCH',
          '/api/v1/namespaces/shop/configmaps/c',
          {},
          {
            'Content-Type': 'application/merge-patch+json',
          },
        ],
        ['DELETE', '/api/v1/namespaces/shop/configmaps'],
        ['GET', '/api/v1/namespaces/shop'],
        ['GET', '/version'],
        ['GET', '/api/v1/namespaces/shop/secrets', undefined, asAlice],
        ['GET', '/api/v1/nodes', undefined, { Authorization: 'Bearer nobody' }],
      ];
    for (const [method, path, body, headers] of requests)
      await t.request(method, path, body, headers);
    const seen = trace.stop();
    // stopped: nothing more is recorded
    await t.request('GET', '/api/v1/namespaces/shop/configmaps');
    expect(trace.requests()).toEqual(seen);

    const admin = {
      user: 'admin',
      groups: ['system:masters', 'system:authenticated'],
    };
    expect(seen).toEqual([
      {
        ...admin,
        verb: 'create',
        apiGroup: '',
        resource: 'configmaps',
        namespace: 'shop',
        code: 201,
      },
      {
        ...admin,
        verb: 'list',
        apiGroup: '',
        resource: 'configmaps',
        namespace: 'shop',
        code: 200,
      },
      {
        ...admin,
        verb: 'watch',
        apiGroup: '',
        resource: 'configmaps',
        namespace: 'shop',
        code: 200,
      },
      {
        ...admin,
        verb: 'get',
        apiGroup: '',
        resource: 'pods',
        subresource: 'log',
        namespace: 'shop',
        name: 'p',
        code: 404,
      },
      {
        ...admin,
        verb: 'update',
        apiGroup: 'apps',
        resource: 'deployments',
        subresource: 'scale',
        namespace: 'shop',
        name: 'd',
        code: 404,
      },
      {
        ...admin,
        verb: 'patch',
        apiGroup: '',
        resource: 'configmaps',
        namespace: 'shop',
        name: 'c',
        code: 200,
      },
      {
        ...admin,
        verb: 'deletecollection',
        apiGroup: '',
        resource: 'configmaps',
        namespace: 'shop',
        code: 200,
      },
      // a namespace is its own namespace, as RBAC sees it
      {
        ...admin,
        verb: 'get',
        apiGroup: '',
        resource: 'namespaces',
        namespace: 'shop',
        name: 'shop',
        code: 200,
      },
      {
        ...admin,
        verb: 'get',
        apiGroup: '',
        resource: '',
        path: '/version',
        code: 200,
      },
      {
        user: 'alice',
        groups: ['system:authenticated'],
        verb: 'list',
        apiGroup: '',
        resource: 'secrets',
        namespace: 'shop',
        code: 403,
      },
      // refused before it was understood: who and what are unknown
      {
        user: '',
        groups: [],
        verb: '',
        apiGroup: '',
        resource: '',
        path: '/api/v1/nodes',
        code: 401,
      },
    ]);
  });

  it('gives each recording what was answered while it was open, and the user after impersonation', async () => {
    const outer = t.server.trace();
    await t.request('GET', '/api/v1/namespaces/shop/pods');
    const inner = t.server.trace();
    await t.request('GET', '/api/v1/namespaces/shop/services', undefined, {
      'Impersonate-User': 'system:serviceaccount:shop:engine',
      'Impersonate-Group': 'system:serviceaccounts',
    });
    const innerSeen = inner.stop();
    const outerSeen = outer.stop();
    expect(innerSeen).toEqual([
      expect.objectContaining({
        user: 'system:serviceaccount:shop:engine',
        groups: ['system:serviceaccounts', 'system:authenticated'],
        resource: 'services',
        code: 403,
      }),
    ]);
    expect(outerSeen.map(r => r.resource)).toEqual(['pods', 'services']);
  });

  it('keeps nothing while nobody records', async () => {
    await t.request('GET', '/api/v1/namespaces/shop/pods');
    const trace = t.server.trace();
    expect(trace.stop()).toEqual([]);
  });
});
