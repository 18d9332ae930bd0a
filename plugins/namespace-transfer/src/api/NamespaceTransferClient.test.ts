import { ResponseError } from '@backstage/errors';
import { NamespaceTransferClient } from './NamespaceTransferClient';

function client(response: Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) => response);
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

const BASE = 'http://backend/api/namespace-transfer';
const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** What the client sent: the URL, and for a POST its method, content type and parsed JSON body. */
function sent(fetch: jest.Mock) {
  expect(fetch).toHaveBeenCalledTimes(1);
  const [url, init] = fetch.mock.calls[0] as [string, RequestInit?];
  return {
    url,
    method: init?.method ?? 'GET',
    contentType: (init?.headers as Record<string, string> | undefined)?.[
      'Content-Type'
    ],
    body: init?.body === undefined ? undefined : JSON.parse(String(init.body)),
  };
}

const REQUEST = {
  source: { cluster: 'east', namespace: 'payments', claim: 'payments-data' },
  destination: { entityRef: 'component:default/payments-next' },
  comment: 'to the new namespace',
};

const conflict = (message: string) =>
  json(409, {
    error: { name: 'ConflictError', message },
    request: { method: 'POST', url: '/transfers' },
    response: { statusCode: 409 },
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
    expect(sent(fetch)).toEqual({
      url: `${BASE}/volumes?entityRef=component%3Adefault%2Fpayments-db`,
      method: 'GET',
      contentType: undefined,
      body: undefined,
    });
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
    expect(sent(fetch).url).toBe(`${BASE}/clusters`);
  });

  it.each([
    ['planTransfer', '/plans', REQUEST, { mode: 'copy', allowed: true }],
    ['requestTransfer', '/transfers', REQUEST, { id: ID }],
    [
      'requestBatch',
      '/batches',
      {
        source: { cluster: 'east', namespace: 'payments' },
        destination: REQUEST.destination,
      },
      { batch: { id: 'b1' }, transfers: [] },
    ],
  ] as const)(
    '%s POSTs the request as JSON to %s and returns the answer',
    async (method, path, request, answer) => {
      const { api, fetch } = client(json(201, answer));
      await expect((api[method] as Function)(request)).resolves.toEqual(answer);
      expect(sent(fetch)).toEqual({
        url: `${BASE}${path}`,
        method: 'POST',
        contentType: 'application/json',
        body: request,
      });
    },
  );

  it('lists transfers with every filter, repeated states and the cursor encoded', async () => {
    const page = { items: [], nextCursor: 'next' };
    const { api, fetch } = client(json(200, page));
    await expect(
      api.listTransfers({
        state: ['running', 'failed'],
        cluster: 'east',
        namespace: 'payments',
        requester: 'user:default/alice',
        approver: 'user:default/bob',
        entityRef: 'component:default/payments-db',
        createdAfter: '2026-12-01T00:00:00Z',
        createdBefore: '2026-12-05T00:00:00+01:00',
        sort: 'updatedAt',
        order: 'asc',
        limit: 20,
        cursor: 'a+b/c=',
      }),
    ).resolves.toEqual(page);
    expect(sent(fetch)).toEqual({
      url:
        `${BASE}/transfers?state=running&state=failed&cluster=east&namespace=payments` +
        '&requester=user%3Adefault%2Falice&approver=user%3Adefault%2Fbob' +
        '&entityRef=component%3Adefault%2Fpayments-db' +
        '&createdAfter=2026-12-01T00%3A00%3A00Z&createdBefore=2026-12-05T00%3A00%3A00%2B01%3A00' +
        '&sort=updatedAt&order=asc&limit=20&cursor=a%2Bb%2Fc%3D',
      method: 'GET',
      contentType: undefined,
      body: undefined,
    });
  });

  it('lists without a query string when nothing is filtered', async () => {
    const { api, fetch } = client(json(200, { items: [] }));
    await api.listTransfers();
    expect(sent(fetch).url).toBe(`${BASE}/transfers`);
  });

  it('reads the approvals waiting for the caller, with the same filters', async () => {
    const { api, fetch } = client(json(200, { items: [] }));
    await expect(
      api.getPendingApprovals({ entityRef: 'component:default/db', limit: 5 }),
    ).resolves.toEqual({ items: [] });
    expect(sent(fetch).url).toBe(
      `${BASE}/approvals/pending?entityRef=component%3Adefault%2Fdb&limit=5`,
    );
  });

  it('downloads the CSV export of the filtered view under the name the backend gives it', async () => {
    const csv = 'id,state\r\nx,running\r\n';
    const { api, fetch } = client(
      new Response(csv, {
        status: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition':
            'attachment; filename="namespace-transfers-2026-12-05.csv"',
        },
      }),
    );
    const exported = await api.exportTransfers({
      state: ['succeeded'],
      cluster: 'west',
    });
    expect(exported.filename).toBe('namespace-transfers-2026-12-05.csv');
    expect(await exported.blob.text()).toBe(csv);
    expect(sent(fetch).url).toBe(
      `${BASE}/transfers/export.csv?state=succeeded&cluster=west`,
    );
  });

  it('refuses an export the backend refuses, with its message', async () => {
    const { api } = client(
      json(400, {
        error: { name: 'InputError', message: 'invalid query: cluster' },
        response: { statusCode: 400 },
      }),
    );
    const error = await api.exportTransfers().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('invalid query: cluster');
  });

  it('reads one transfer, encoding its id in the path', async () => {
    const detail = { transfer: { id: ID }, decisions: [] };
    const { api, fetch } = client(json(200, detail));
    await expect(api.getTransfer(ID)).resolves.toEqual(detail);
    expect(sent(fetch).url).toBe(`${BASE}/transfers/${ID}`);

    const odd = client(json(200, detail));
    await odd.api.getTransfer('../stats/states?x');
    expect(sent(odd.fetch).url).toBe(
      `${BASE}/transfers/..%2Fstats%2Fstates%3Fx`,
    );
  });

  it('reads the event log after a cursor', async () => {
    const events = { events: [{ id: '42', kind: 'phase' }] };
    const { api, fetch } = client(json(200, events));
    await expect(
      api.getTransferEvents(ID, { after: '41', limit: 100 }),
    ).resolves.toEqual(events);
    expect(sent(fetch).url).toBe(
      `${BASE}/transfers/${ID}/events?after=41&limit=100`,
    );

    const first = client(json(200, { events: [] }));
    await first.api.getTransferEvents(ID);
    expect(sent(first.fetch).url).toBe(`${BASE}/transfers/${ID}/events`);
  });

  it.each([
    ['approveTransfer', 'approve'],
    ['rejectTransfer', 'reject'],
    ['cancelTransfer', 'cancel'],
    ['retryTransfer', 'retry'],
    ['resumeTransfer', 'resume'],
    ['cutoverTransfer', 'cutover'],
  ] as const)(
    '%s POSTs the comment to /transfers/{id}/%s',
    async (method, kind) => {
      const after = { id: ID, state: 'approved' };
      const { api, fetch } = client(json(200, after));
      await expect(api[method](ID, { comment: 'ok by me' })).resolves.toEqual(
        after,
      );
      expect(sent(fetch)).toEqual({
        url: `${BASE}/transfers/${ID}/${kind}`,
        method: 'POST',
        contentType: 'application/json',
        body: { comment: 'ok by me' },
      });

      const bare = client(json(200, after));
      await bare.api[method](ID);
      expect(sent(bare.fetch).body).toEqual({});
    },
  );

  it("gives a 409's message to the caller: the page shows why the decision was refused", async () => {
    const { api } = client(
      conflict('cannot approve: the transfer is rejected'),
    );
    const error = await api.approveTransfer(ID).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error).toEqual({
      name: 'ConflictError',
      message: 'cannot approve: the transfer is rejected',
    });
  });

  it('refuses a request the backend refuses, with every problem it lists', async () => {
    const { api } = client(
      json(400, {
        error: {
          name: 'InputError',
          message: 'invalid transfer request: source.claim is required',
        },
        response: { statusCode: 400 },
      }),
    );
    const error = await api.requestTransfer(REQUEST).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toMatch(/source.claim is required/);
  });

  it('reads the destinations, the counts by state and the bytes per day', async () => {
    const destinations = { destinations: [], clusters: [] };
    const d = client(json(200, destinations));
    await expect(d.api.getDestinations()).resolves.toEqual(destinations);
    expect(sent(d.fetch).url).toBe(`${BASE}/destinations`);

    const counts = { counts: { running: 2 } };
    const c = client(json(200, counts));
    await expect(c.api.getStateCounts()).resolves.toEqual(counts);
    expect(sent(c.fetch).url).toBe(`${BASE}/stats/states`);

    const days = { days: [{ day: '2026-12-01', bytes: 10, transfers: 1 }] };
    const b = client(json(200, days));
    await expect(
      b.api.getBytesPerDay({
        from: '2026-12-01T00:00:00Z',
        to: '2026-12-08T00:00:00+01:00',
      }),
    ).resolves.toEqual(days);
    expect(sent(b.fetch).url).toBe(
      `${BASE}/stats/bytes-per-day?from=2026-12-01T00%3A00%3A00Z&to=2026-12-08T00%3A00%3A00%2B01%3A00`,
    );
  });
});
