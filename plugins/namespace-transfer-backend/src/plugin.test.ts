import net from 'node:net';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity } from '@backstage/catalog-model';
import { namespaceTransferPlugin } from './plugin';

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
});
