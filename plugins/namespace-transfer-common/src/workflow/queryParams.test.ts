import {
  eventsQueryParams,
  eventsQuerySchema,
  listQueryParams,
  listQuerySchema,
  type ListQuery,
} from '.';

/** A query string as Express hands it to a route: a parameter given several times becomes a list. */
function asExpressQuery(params: URLSearchParams) {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    query[key] = all.length > 1 ? all : all[0];
  }
  return query;
}

describe('listQueryParams', () => {
  const everything: ListQuery = {
    state: ['running', 'staged'],
    cluster: 'east',
    namespace: 'payments',
    requester: 'user:default/alice',
    approver: 'user:default/bob',
    entityRef: 'component:default/payments-db',
    createdAfter: '2026-12-01T00:00:00Z',
    createdBefore: '2026-12-05T10:00:00+01:00',
    sort: 'updatedAt',
    order: 'asc',
    limit: 20,
    cursor: 'eyJrIjoiMjAyNi0xMi0wMSJ9+/=',
  };

  it('writes every filter so that the backend reads back the same query', () => {
    const params = listQueryParams(everything);
    expect(listQuerySchema.parse(asExpressQuery(params))).toEqual(everything);
    expect(params.getAll('state')).toEqual(['running', 'staged']);
  });

  it('reads back a single state as a list of one', () => {
    const params = listQueryParams({ state: ['failed'] });
    expect(params.toString()).toBe('state=failed');
    expect(listQuerySchema.parse(asExpressQuery(params))).toEqual({
      state: ['failed'],
    });
  });

  it('encodes what a URL would misread: the plus and slash of a cursor, the colon of a ref', () => {
    const params = listQueryParams({
      cursor: 'a+b/c=',
      requester: 'user:default/alice',
    });
    expect(params.toString()).toBe(
      'requester=user%3Adefault%2Falice&cursor=a%2Bb%2Fc%3D',
    );
    expect(new URLSearchParams(params.toString()).get('cursor')).toBe('a+b/c=');
  });

  it('leaves out what is not set, an empty state list included', () => {
    expect(listQueryParams().toString()).toBe('');
    expect(
      listQueryParams({ state: [], cluster: undefined, limit: 5 }).toString(),
    ).toBe('limit=5');
  });

  it('writes the filters in one order whatever order they were given in', () => {
    expect(
      listQueryParams({ limit: 5, order: 'desc', cluster: 'west' }).toString(),
    ).toBe('cluster=west&order=desc&limit=5');
  });
});

describe('eventsQueryParams', () => {
  it('writes the cursor and limit the backend reads back', () => {
    const params = eventsQueryParams({ after: '41', limit: 100 });
    expect(params.toString()).toBe('after=41&limit=100');
    expect(eventsQuerySchema.parse(asExpressQuery(params))).toEqual({
      after: '41',
      limit: 100,
    });
    expect(eventsQueryParams().toString()).toBe('');
  });
});
