import {
  batchRequestSchema,
  decisionBodySchema,
  listQuerySchema,
  transferRequestSchema,
} from '.';

const messages = (r: {
  success: boolean;
  error?: { issues: { message: string }[] };
}) => (r.success ? [] : r.error!.issues.map(i => i.message));

const request = {
  source: { cluster: 'east', namespace: 'payments', claim: 'payments-db-data' },
  destination: { entityRef: 'component:default/payments-next' },
};

describe('transferRequestSchema', () => {
  it('accepts a minimal request and the options a requester may choose', () => {
    expect(transferRequestSchema.parse(request)).toEqual(request);
    const full = {
      ...request,
      destination: {
        ...request.destination,
        claim: 'data.v2',
        storageClass: 'fast',
        size: '10Gi',
      },
      mode: 'copy',
      intent: 'clone',
      options: { verify: 'sample', verifySampleRatio: 0.1, stage: true },
      cutoverAt: '2026-12-24T02:00:00Z',
      comment: 'moving to the new namespace',
    };
    expect(transferRequestSchema.parse(full)).toEqual(full);
  });

  it.each([
    [
      'an upper-case claim',
      { source: { ...request.source, claim: 'Data' } },
      /source.claim must be a DNS-1123 subdomain/,
    ],
    [
      'a claim too long',
      { source: { ...request.source, claim: 'a'.repeat(254) } },
      /at most 253/,
    ],
    [
      'a namespace with a dot',
      { source: { ...request.source, namespace: 'a.b' } },
      /source.namespace must be a DNS-1123 label/,
    ],
    ['no source', { source: undefined }, /Required/],
    [
      'a bad entity ref',
      { destination: { entityRef: 'payments-next' } },
      /kind:namespace\/name/,
    ],
    [
      'a cluster without namespace',
      { destination: { ...request.destination, cluster: 'west' } },
      /go together/,
    ],
    [
      'a bad size',
      { destination: { ...request.destination, size: 'ten gigs' } },
      /Kubernetes quantity/,
    ],
    [
      'a bad mode',
      { mode: 'teleport' },
      /mode must be one of copy, rebind, auto/,
    ],
    [
      'a time without zone',
      { cutoverAt: '2026-12-24T02:00:00' },
      /cutoverAt must be an ISO 8601 time with a zone/,
    ],
    ['an unknown field', { priority: 'high' }, /Unrecognized key.*priority/],
    [
      'the mover image',
      { options: { image: 'evil/image' } },
      /options.image cannot be set by a request: the mover image is the operator's/,
    ],
    [
      'an identity',
      { options: { runAsUser: 0 } },
      /options.runAsUser cannot be set by a request/,
    ],
    [
      'resources',
      { options: { resources: {} } },
      /options.resources cannot be set by a request/,
    ],
    [
      'an unknown option',
      { options: { turbo: true } },
      /options.turbo is not an option; a request may set mover/,
    ],
  ])('refuses %s, saying what to fix', (_what, change, message) => {
    const result = transferRequestSchema.safeParse({ ...request, ...change });
    expect(messages(result).join('\n')).toMatch(message);
  });
});

describe('batchRequestSchema', () => {
  it('takes the whole namespace when no claims are named', () => {
    const batch = {
      source: { cluster: 'east', namespace: 'payments' },
      destination: request.destination,
    };
    expect(batchRequestSchema.parse(batch)).toEqual(batch);
  });

  it.each([
    [{ claims: [] }, /at least one claim/],
    [{ claims: ['a', 'a'] }, /names a claim twice/],
    [{ claims: ['A'] }, /DNS-1123 subdomain/],
    [
      { claims: Array.from({ length: 101 }, (_, i) => `c${i}`) },
      /at most 100 claims/,
    ],
  ])('refuses claims %j', (source, message) => {
    const result = batchRequestSchema.safeParse({
      source: { cluster: 'east', namespace: 'payments', ...source },
      destination: request.destination,
    });
    expect(messages(result).join('\n')).toMatch(message);
  });

  it('refuses a destination claim name for several claims', () => {
    const result = batchRequestSchema.safeParse({
      source: { cluster: 'east', namespace: 'payments' },
      destination: { ...request.destination, claim: 'x' },
    });
    expect(messages(result).join('\n')).toMatch(/each claim keeps its name/);
  });
});

describe('decisionBodySchema', () => {
  it('takes an optional comment and nothing else', () => {
    expect(decisionBodySchema.parse({})).toEqual({});
    expect(
      messages(decisionBodySchema.safeParse({ comment: 'x'.repeat(2001) })),
    ).toEqual(['comment must be at most 2000 characters']);
    expect(
      messages(
        decisionBodySchema.safeParse({ actor: 'user:default/bob' }),
      ).join(),
    ).toMatch(/actor/);
  });
});

describe('listQuerySchema', () => {
  it('reads states given repeated or comma-separated, and numbers from text', () => {
    expect(
      listQuerySchema.parse({
        state: ['running', 'failed,staged'],
        limit: '20',
        sort: 'createdAt',
      }),
    ).toEqual({
      state: ['running', 'failed', 'staged'],
      limit: 20,
      sort: 'createdAt',
    });
  });

  it.each([
    [{ state: 'done' }, /state must be one of pending-approval/],
    [{ limit: '0' }, /limit must be at least 1/],
    [{ limit: 'ten' }, /limit must be a number/],
    [{ limit: ['1', '2'] }, /limit may be given once/],
    [{ sort: 'size' }, /sort must be one of/],
    [{ createdAfter: 'yesterday' }, /createdAfter must be an ISO 8601 time/],
    [{ color: 'red' }, /Unrecognized key/],
  ])('refuses %j', (query, message) => {
    expect(messages(listQuerySchema.safeParse(query)).join('\n')).toMatch(
      message,
    );
  });
});
