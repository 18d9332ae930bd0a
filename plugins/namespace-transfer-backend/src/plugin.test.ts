import net from 'node:net';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity } from '@backstage/catalog-model';
import { namespaceTransferPlugin } from './plugin';
import { FakeApiServer, startFakeApiServer } from './testing/fakeApiServer';

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'service',
    owner: 'group:default/team-payments',
    lifecycle: 'production',
  },
});

const entities = [
  component('payments-db', {
    'backstage.io/kubernetes-id': 'payments-db',
    'backstage.io/kubernetes-namespace': 'payments',
  }),
  component('plain', {}),
];

/** A loopback port that was free a moment ago: nothing listens, so connections are refused. */
async function closedPort(host: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

async function start(
  options: { permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY } = {},
) {
  const [east, west] = [
    await closedPort('127.0.0.1'),
    await closedPort('127.0.0.1'),
  ];
  const { server } = await startTestBackend({
    features: [
      namespaceTransferPlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'east',
                    url: `https://127.0.0.1:${east}`,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: 'x',
                  },
                  {
                    name: 'west',
                    url: `https://127.0.0.1:${west}`,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: 'y',
                  },
                ],
              },
            ],
          },
          namespaceTransfer: { clusterRequestTimeoutMs: 5000 },
        },
      }),
      ...(options.permission
        ? [mockServices.permissions.factory({ result: options.permission })]
        : []),
    ],
  });
  return server;
}

describe('namespace-transfer backend plugin', () => {
  it('reports each unreachable cluster separately instead of failing the request', async () => {
    const server = await start();
    const res = await request(server).get(
      '/api/namespace-transfer/volumes?entityRef=component:default/payments-db',
    );
    expect(res.status).toBe(200);
    expect(res.body.selector).toEqual({
      labelSelector: 'backstage.io/kubernetes-id=payments-db',
      namespace: 'payments',
    });
    expect(
      res.body.clusters.map((c: any) => [
        c.cluster,
        c.error?.reason,
        c.volumes.length,
      ]),
    ).toEqual([
      ['east', 'unreachable', 0],
      ['west', 'unreachable', 0],
    ]);
    expect(res.body.clusters[0].error.message).toContain(
      "Cluster 'east' is unreachable",
    );
  });

  it('serves the path form too', async () => {
    const server = await start();
    const res = await request(server).get(
      '/api/namespace-transfer/entities/component/default/payments-db/volumes',
    );
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe('component:default/payments-db');
  });

  it('answers 404 for an unknown entity', async () => {
    const server = await start();
    const res = await request(server).get(
      '/api/namespace-transfer/volumes?entityRef=component:default/nope',
    );
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ name: 'NotFoundError' });
  });

  it('answers 400 naming the annotation to add for an entity without Kubernetes annotations', async () => {
    const server = await start();
    const res = await request(server).get(
      '/api/namespace-transfer/volumes?entityRef=component:default/plain',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain('backstage.io/kubernetes-id');
  });

  it('answers 400 for a malformed entityRef', async () => {
    const server = await start();
    const res = await request(server).get(
      '/api/namespace-transfer/volumes?entityRef=payments-db',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/kind:namespace\/name/);
  });

  it('answers 403 when the policy denies read', async () => {
    const server = await start({ permission: AuthorizeResult.DENY });
    const res = await request(server).get(
      '/api/namespace-transfer/volumes?entityRef=component:default/payments-db',
    );
    expect(res.status).toBe(403);
    const clusters = await request(server).get(
      '/api/namespace-transfer/clusters',
    );
    expect(clusters.status).toBe(403);
  });

  it('lists the configured clusters with their reachability', async () => {
    const server = await start();
    const res = await request(server).get('/api/namespace-transfer/clusters');
    expect(res.status).toBe(200);
    expect(res.body.clusters).toEqual([
      expect.objectContaining({
        name: 'east',
        reachable: false,
        skipTLSVerify: false,
        error: expect.objectContaining({ reason: 'unreachable' }),
      }),
      expect.objectContaining({ name: 'west', reachable: false }),
    ]);
  });

  describe('cluster connections', () => {
    const startWith = (cluster: object) =>
      startTestBackend({
        features: [
          namespaceTransferPlugin,
          catalogServiceMock.factory({ entities }),
          mockServices.rootConfig.factory({
            data: {
              kubernetes: {
                clusterLocatorMethods: [
                  {
                    type: 'config',
                    clusters: [
                      {
                        name: 'east',
                        authProvider: 'serviceAccount',
                        ...cluster,
                      },
                    ],
                  },
                ],
              },
            },
          }),
        ],
      });

    it('refuses an http:// cluster url at startup, naming the cluster and the key', async () => {
      await expect(
        startWith({ url: 'http://127.0.0.1:8080', serviceAccountToken: 'x' }),
      ).rejects.toThrow(
        /Cluster 'east' has an http:\/\/ url \(kubernetes\.clusterLocatorMethods\[0\]\.clusters\[0\]\.url\).*allowInsecureHttp: true/,
      );
    });

    it('refuses a cluster without a token at startup unless it is the in-cluster API server', async () => {
      await expect(
        startWith({ url: 'https://127.0.0.1:6443' }),
      ).rejects.toThrow(
        /Cluster 'east' has no serviceAccountToken \(kubernetes\.clusterLocatorMethods\[0\]\.clusters\[0\]\.serviceAccountToken\)/,
      );
    });
  });

  describe('cost of the volumes route', () => {
    let cluster: FakeApiServer;
    beforeEach(async () => {
      cluster = await startFakeApiServer();
    });
    afterEach(async () => {
      await cluster.close();
    });

    /**
     * What the routes asked of the cluster: without the start-up's access report (its self reviews), which
     * runs beside them, not awaited, once per backend.
     */
    const routeRequests = () =>
      cluster.requests.filter(
        r => !/^\/apis\/(authorization|authentication)\.k8s\.io\//.test(r.path),
      );

    const startOnFake = async (namespaceTransfer: object) => {
      const { server } = await startTestBackend({
        features: [
          namespaceTransferPlugin,
          catalogServiceMock.factory({ entities }),
          mockServices.rootConfig.factory({
            data: {
              kubernetes: {
                clusterLocatorMethods: [
                  {
                    type: 'config',
                    clusters: [
                      {
                        name: 'dev',
                        url: cluster.url,
                        authProvider: 'serviceAccount',
                        serviceAccountToken: 'x',
                        allowInsecureHttp: true,
                      },
                    ],
                  },
                ],
              },
              namespaceTransfer,
            },
          }),
        ],
      });
      return server;
    };

    it('lists each kind once in the namespace of one request', async () => {
      const server = await startOnFake({});
      const res = await request(server).get(
        '/api/namespace-transfer/volumes?entityRef=component:default/payments-db',
      );
      expect(res.status).toBe(200);
      expect(res.body.clusters).toEqual([{ cluster: 'dev', volumes: [] }]);
      const paths = routeRequests().map(r => r.path);
      const lists = paths.filter(
        p => p !== '/apis' && p !== '/api/v1/namespaces/payments',
      );
      expect(lists).toHaveLength(8);
      expect(new Set(lists).size).toBe(8);
      expect(paths).toHaveLength(10);
    });

    it('under 50 parallel requests of one user: one round of lists, 429 with Retry-After past the limit, never a 500', async () => {
      const server = await startOnFake({
        rateLimit: { burst: 20, perMinute: 60 },
      });
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          request(server).get(
            '/api/namespace-transfer/volumes?entityRef=component:default/payments-db',
          ),
        ),
      );
      const statuses = responses.map(r => r.status);
      expect(statuses.filter(s => s >= 500)).toEqual([]);
      expect(statuses.filter(s => s === 200)).toHaveLength(20);
      expect(statuses.filter(s => s === 429)).toHaveLength(30);
      for (const r of responses.filter(x => x.status === 429)) {
        expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(r.body.error.name).toBe('TooManyRequestsError');
      }
      // one reading shared by the 20 that got through: discovery, 8 lists, the namespace
      expect(routeRequests()).toHaveLength(10);

      // another user has a budget of their own
      const bob = await request(server)
        .get(
          '/api/namespace-transfer/volumes?entityRef=component:default/payments-db',
        )
        .set('authorization', mockCredentials.user.header('user:default/bob'));
      expect(bob.status).toBe(200);
    });

    it('refuses hostile entity references with a 400 naming the rule', async () => {
      const server = await startOnFake({});
      for (const [url, message] of [
        [
          '/volumes?entityRef=component:default/payments%00db',
          /name "payments\\u0000db" breaks the catalog's rule/,
        ],
        [
          '/volumes?entityRef=component:default/p%C3%A4yments-db',
          /name "päyments-db" breaks the catalog's rule/,
        ],
        [
          '/volumes?entityRef=component:../payments-db',
          /namespace "\.\." breaks the catalog's rule/,
        ],
        [
          '/volumes?entityRef=component:default/a%2Fpayments-db',
          /name "a\/payments-db" breaks the catalog's rule/,
        ],
        [
          '/entities/component/default/a%2Fpayments-db/volumes',
          /path name "a\/payments-db" breaks the catalog's rule/,
        ],
      ] as const) {
        const res = await request(server).get(`/api/namespace-transfer${url}`);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toMatch(message);
        expect(res.body.error.stack).toBeUndefined();
      }
      expect(routeRequests()).toHaveLength(0);
    });
  });
});
