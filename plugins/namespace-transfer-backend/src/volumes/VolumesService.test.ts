import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ApiException } from '@kubernetes/client-node';
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Volume } from '@namespace-transfer/plugin-namespace-transfer-common';
import { ClusterRegistry } from '../clusters';
import { VolumesService } from './VolumesService';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-db',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'payments-db',
      'backstage.io/kubernetes-namespace': 'payments',
    },
  },
  spec: {},
};

const registry = new ClusterRegistry(
  ['east', 'west'].map(name => ({
    name,
    url: `https://127.1.0.1:6443/${name}`,
    authProvider: 'serviceAccount',
    serviceAccountToken: 't',
    skipTLSVerify: false,
  })),
);

const volume = (cluster: string): Volume =>
  ({ cluster, namespace: 'payments', name: 'data' }) as Volume;

function service(
  options: {
    readVolumes?: jest.Mock;
    cacheTtlMs?: number;
    catalog?: any;
    now?: () => number;
    logger?: ReturnType<typeof mockServices.logger.mock>;
  } = {},
) {
  const readVolumes =
    options.readVolumes ??
    jest.fn(async (clients: { cluster: { name: string } }) => {
      await new Promise(r => setTimeout(r, 20));
      return [volume(clients.cluster.name)];
    });
  return {
    readVolumes,
    volumes: new VolumesService({
      catalog: options.catalog ?? catalogServiceMock({ entities: [entity] }),
      registry,
      timeoutMs: 1000,
      cacheTtlMs: options.cacheTtlMs,
      readVolumes: readVolumes as any,
      now: options.now,
      logger: options.logger,
    }),
  };
}

const REF = 'component:default/payments-db';

describe('VolumesService', () => {
  it('reads each cluster once for 50 identical requests at the same time', async () => {
    const { volumes, readVolumes } = service();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        volumes.getEntityVolumes(REF, mockCredentials.user()),
      ),
    );
    expect(readVolumes).toHaveBeenCalledTimes(2);
    expect(answers[49].clusters.map(c => c.volumes)).toEqual([
      [volume('east')],
      [volume('west')],
    ]);
  });

  it('reuses an answer for its TTL, then reads again', async () => {
    let now = 1_000;
    const { volumes, readVolumes } = service({
      cacheTtlMs: 5_000,
      now: () => now,
    });
    await volumes.getEntityVolumes(REF, mockCredentials.user());
    now += 4_000;
    await volumes.getEntityVolumes(
      REF,
      mockCredentials.user('user:default/bob'),
    );
    expect(readVolumes).toHaveBeenCalledTimes(2);
    now += 2_000;
    await volumes.getEntityVolumes(REF, mockCredentials.user());
    expect(readVolumes).toHaveBeenCalledTimes(4);
  });

  it('with a TTL of 0 shares only the readings in flight', async () => {
    const { volumes, readVolumes } = service({ cacheTtlMs: 0 });
    await Promise.all([
      volumes.getEntityVolumes(REF, mockCredentials.user()),
      volumes.getEntityVolumes(REF, mockCredentials.user()),
    ]);
    expect(readVolumes).toHaveBeenCalledTimes(2);
    await volumes.getEntityVolumes(REF, mockCredentials.user());
    expect(readVolumes).toHaveBeenCalledTimes(4);
  });

  it('shares a failed reading with those waiting for it, but does not keep it', async () => {
    const readVolumes = jest.fn(async () => {
      await new Promise(r => setTimeout(r, 20));
      throw Object.assign(
        new Error('request to https://127.1.0.1:6443/api/v1/pods failed'),
        { type: 'system', code: 'ECONNREFUSED' },
      );
    });
    const { volumes } = service({ readVolumes });
    const [a, b] = await Promise.all([
      volumes.getEntityVolumes(REF, mockCredentials.user()),
      volumes.getEntityVolumes(REF, mockCredentials.user()),
    ]);
    expect(readVolumes).toHaveBeenCalledTimes(2);
    expect(a.clusters[0].error).toEqual({
      reason: 'unreachable',
      message: "Cluster 'east' is unreachable (ECONNREFUSED)",
    });
    expect(b).toEqual(a);
    await volumes.getEntityVolumes(REF, mockCredentials.user());
    expect(readVolumes).toHaveBeenCalledTimes(4);
  });

  it("logs a refusal in the API server's words, not the client's HTTP dump", async () => {
    const logger = mockServices.logger.mock();
    const readVolumes = jest.fn(async () => {
      throw new ApiException(
        403,
        'Unknown API Status Code!',
        JSON.stringify({
          kind: 'Status',
          message:
            'pods is forbidden: User "system:serviceaccount:nst:portal" cannot list resource "pods" in API group "" in the namespace "payments"',
        }),
        { 'audit-id': 'a1' },
      );
    });
    const { volumes } = service({ readVolumes, logger });
    await volumes.getEntityVolumes(REF, mockCredentials.user());
    expect(logger.warn).toHaveBeenCalledWith(
      "namespace-transfer: reading volumes (backstage.io/kubernetes-id=payments-db) on cluster 'east' failed (forbidden): forbidden: cannot list pods in namespace payments (as system:serviceaccount:nst:portal)",
      undefined,
    );
    const logged = JSON.stringify(logger.warn.mock.calls);
    expect(logged).not.toMatch(/HTTP-Code|Headers|audit-id/);
  });

  describe("the catalog's errors", () => {
    const catalogFailing = async (status: number, statusText: string) => {
      // what CatalogClient throws: the catalog's error body names its own request
      const error = await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'InputError', message: 'Malformed entity ref' },
            request: {
              method: 'GET',
              url: '/api/catalog/entities/by-name/component/default/payments%00db',
            },
            response: { statusCode: status },
          }),
          {
            status,
            statusText,
            headers: { 'content-type': 'application/json' },
          },
        ),
      );
      return service({
        catalog: catalogServiceMock.mock({
          getEntityByRef: async () => {
            throw error;
          },
        }),
      }).volumes;
    };

    it.each([
      [
        400,
        'Bad Request',
        'InputError',
        /^The catalog refused the entity reference "component:default\/payments-db"$/,
      ],
      [
        404,
        'Not Found',
        'NotFoundError',
        /^No entity component:default\/payments-db in the catalog$/,
      ],
      [
        403,
        'Forbidden',
        'NotFoundError',
        /^No entity component:default\/payments-db in the catalog$/,
      ],
      [
        500,
        'Internal Server Error',
        'BadGatewayError',
        /^The catalog could not be asked for component:default\/payments-db \(it answered 500\)$/,
      ],
      [401, 'Unauthorized', 'BadGatewayError', /answered 401/],
    ])(
      'answers a catalog %d as %s, without its inner request',
      async (status, text, name, message) => {
        const volumes = await catalogFailing(status, text);
        const error = await volumes
          .getEntityVolumes(REF, mockCredentials.user())
          .catch(e => e);
        expect(error.name).toBe(name);
        expect(error.message).toMatch(message);
        expect(error.cause).toBeUndefined();
        expect(
          JSON.stringify({ ...error, message: error.message }),
        ).not.toMatch(/api\/catalog|by-name/);
      },
    );

    it('answers a catalog that cannot be reached as 502', async () => {
      const { volumes } = service({
        catalog: catalogServiceMock.mock({
          getEntityByRef: async () => {
            throw new TypeError('fetch failed: http://catalog.internal:7007');
          },
        }),
      });
      const error = await volumes
        .getEntityVolumes(REF, mockCredentials.user())
        .catch(e => e);
      expect(error).toMatchObject({
        name: 'BadGatewayError',
        message:
          'The catalog could not be asked for component:default/payments-db',
        statusCode: 502,
      });
    });
  });
});
