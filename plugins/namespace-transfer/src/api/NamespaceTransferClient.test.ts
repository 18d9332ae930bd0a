import { ResponseError } from '@backstage/errors';
import { NamespaceTransferClient } from './NamespaceTransferClient';

function client(response: Response) {
  const fetch = jest.fn(async (_url: string) => response);
  const api = new NamespaceTransferClient({
    discoveryApi: {
      getBaseUrl: async (id: string) => `http://backend/api/${id}`,
    },
    fetchApi: { fetch: fetch as any },
  });
  return { api, fetch };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('NamespaceTransferClient', () => {
  it('asks the plugin backend for an entity, encoding the reference', async () => {
    const body = {
      entityRef: 'component:default/payments-db',
      selector: { labelSelector: 'x=y' },
      clusters: [],
    };
    const { api, fetch } = client(json(200, body));
    await expect(
      api.getEntityVolumes('component:default/payments-db'),
    ).resolves.toEqual(body);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/namespace-transfer/volumes?entityRef=component%3Adefault%2Fpayments-db',
    );
  });

  it('turns an error response into a ResponseError with the backend message', async () => {
    const { api } = client(
      json(400, {
        error: {
          name: 'InputError',
          message: 'Add backstage.io/kubernetes-id',
        },
        request: {},
        response: { statusCode: 400 },
      }),
    );
    const error = await api
      .getEntityVolumes('component:default/x')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('Add backstage.io/kubernetes-id');
    expect(error.statusCode).toBe(400);
  });

  it('reads the clusters', async () => {
    const { api, fetch } = client(json(200, { clusters: [] }));
    await expect(api.getClusters()).resolves.toEqual({ clusters: [] });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/namespace-transfer/clusters',
    );
  });
});
