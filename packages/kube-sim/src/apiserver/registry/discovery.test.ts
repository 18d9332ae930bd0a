/** discovery.k8s.io/v1 EndpointSlice through the API: defaults, validation, immutability, RBAC, table, watch. */
import { DiscoveryV1Api, Watch } from '@kubernetes/client-node';
import { startTestServer, type TestServer } from '../testutil';

const SLICES = '/apis/discovery.k8s.io/v1/namespaces/n/endpointslices';

describe('discovery.k8s.io EndpointSlice', () => {
  let t: TestServer;
  const post = (path: string, body: unknown, token?: string) =>
    t.request(
      'POST',
      path,
      body,
      token ? { Authorization: `Bearer ${token}` } : {},
    );
  const causes = (res: { body: any }) =>
    (res.body.details?.causes ?? []).map((c: any) => `${c.reason} ${c.field}`);
  const slice = (
    name: string,
    addresses: unknown[],
    extra: Record<string, unknown> = {},
  ) => ({
    metadata: { name, labels: { 'kubernetes.io/service-name': 'svc' } },
    addressType: 'IPv4',
    endpoints: [{ addresses, conditions: { ready: true } }],
    ports: [{ name: 'http', port: 8080 }],
    ...extra,
  });

  beforeAll(async () => {
    t = await startTestServer({
      rbac: true,
      tokens: { 'viewer-token': { username: 'viewer', groups: [] } },
    });
    await post('/api/v1/namespaces', { metadata: { name: 'n' } });
  });
  afterAll(() => t.stop());

  it('is served namespaced in discovery with every verb', async () => {
    const res = await t.request('GET', '/apis/discovery.k8s.io/v1');
    expect(res.body.resources).toEqual([
      expect.objectContaining({
        name: 'endpointslices',
        kind: 'EndpointSlice',
        namespaced: true,
        verbs: expect.arrayContaining(['create', 'patch', 'watch']),
      }),
    ]);
  });

  it('defaults port name and protocol and counts generations', async () => {
    const res = await post(SLICES, {
      ...slice('web-1', ['10.1.0.5']),
      ports: [{ port: 8080 }],
    });
    expect(res.status).toBe(201);
    expect(res.body.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    expect(res.body.metadata.generation).toBe(1);
    const api = t.kubeConfig().makeApiClient(DiscoveryV1Api);
    const read = await api.readNamespacedEndpointSlice({
      name: 'web-1',
      namespace: 'n',
    });
    const updated = await api.replaceNamespacedEndpointSlice({
      name: 'web-1',
      namespace: 'n',
      body: {
        ...read,
        endpoints: [{ addresses: ['10.1.0.6'], conditions: { ready: false } }],
      },
    });
    expect(updated.metadata?.generation).toBe(2);
  });

  it('validates addresses by addressType as ValidateEndpointSlice does', async () => {
    const bad = await post(SLICES, {
      metadata: { name: 'bad' },
      addressType: 'IPv4',
      endpoints: [
        { addresses: ['::1', '0.0.0.0', '169.254.1.1', '224.0.0.7', 'x'] },
        { addresses: [], hostname: 'Not_A_Label', nodeName: 'UPPER' },
      ],
      ports: [
        { name: 'a', port: 1, protocol: 'ICMP' },
        { name: 'a', port: 2, appProtocol: 'a/b/c' },
      ],
    });
    expect(bad.status).toBe(422);
    expect(causes(bad)).toEqual([
      'FieldValueInvalid endpoints[0].addresses[0]',
      'FieldValueInvalid endpoints[0].addresses[1]',
      'FieldValueInvalid endpoints[0].addresses[2]',
      'FieldValueInvalid endpoints[0].addresses[3]',
      'FieldValueInvalid endpoints[0].addresses[4]',
      'FieldValueRequired endpoints[1].addresses',
      'FieldValueInvalid endpoints[1].nodeName',
      'FieldValueInvalid endpoints[1].hostname',
      'FieldValueNotSupported ports[0].protocol',
      'FieldValueDuplicate ports[1].name',
      'FieldValueInvalid ports[1].appProtocol',
    ]);
    expect(bad.body.message).toContain(
      'endpoints[0].addresses[0]: Invalid value: "::1": must be a valid IPv4 address',
    );
    expect(bad.body.message).toContain(
      'endpoints[0].addresses[1]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
    );
    expect(bad.body.message).toContain(
      'may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    );
    const v6 = await post(SLICES, {
      ...slice('v6', ['fe80::1', '::ffff:10.0.0.1', '2001:db8::1']),
      addressType: 'IPv6',
    });
    expect(causes(v6)).toEqual([
      'FieldValueInvalid endpoints[0].addresses[0]',
      'FieldValueInvalid endpoints[0].addresses[1]',
    ]);
    const fqdn = await post(SLICES, {
      ...slice('names', ['db.example.com', 'single']),
      addressType: 'FQDN',
    });
    expect(causes(fqdn)).toEqual([
      'FieldValueInvalid endpoints[0].addresses[1]',
    ]);
    const type = await post(SLICES, {
      ...slice('t', ['10.0.0.1']),
      addressType: 'IPv5',
    });
    expect(causes(type)).toEqual(['FieldValueNotSupported addressType']);
    const none = await post(SLICES, {
      ...slice('u', ['10.0.0.1']),
      addressType: undefined,
    });
    expect(causes(none)).toEqual(['FieldValueRequired addressType']);
  });

  it('limits addresses per endpoint and endpoints per slice', async () => {
    const ips = (n: number) =>
      Array.from({ length: n }, (_, i) => `10.2.${i >> 8}.${(i % 254) + 1}`);
    const many = await post(SLICES, slice('many', ips(101)));
    expect(causes(many)).toEqual(['FieldValueTooMany endpoints[0].addresses']);
    expect(many.body.message).toContain(
      'endpoints[0].addresses: Too many: 101: must have at most 100 items',
    );
    const endpoints = ips(1001).map(ip => ({ addresses: [ip] }));
    const wide = await post(SLICES, { ...slice('wide', []), endpoints });
    expect(causes(wide)).toEqual(['FieldValueTooMany endpoints']);
    const full = await post(SLICES, {
      ...slice('full', []),
      endpoints: endpoints.slice(0, 1000),
    });
    expect(full.status).toBe(201);
  });

  it('keeps addressType immutable', async () => {
    const res = await t.request('GET', `${SLICES}/web-1`);
    const put = await t.request('PUT', `${SLICES}/web-1`, {
      ...res.body,
      addressType: 'FQDN',
      endpoints: [{ addresses: ['web.example.com'] }],
    });
    expect(put.status).toBe(422);
    expect(put.body.message).toContain(
      'addressType: Invalid value: "FQDN": field is immutable',
    );
  });

  it('refuses what the Go decoder refuses with a 400', async () => {
    const res = await post(SLICES, {
      ...slice('typed', ['10.0.0.1']),
      endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: 'yes' } }],
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      'EndpointSlice in version "v1" cannot be handled as a EndpointSlice: json: cannot unmarshal string into Go struct field EndpointConditions.endpoints.conditions.ready of type bool',
    );
  });

  it('accepts loopback addresses unless told to refuse them as a real server does', async () => {
    const loopback = slice('local', ['127.3.0.9']);
    expect((await post(SLICES, loopback)).status).toBe(201);
    const strict = await startTestServer(
      {},
      { refuseLoopbackEndpointSlices: true },
    );
    try {
      await strict.request('POST', '/api/v1/namespaces', {
        metadata: { name: 'n' },
      });
      const res = await strict.request('POST', SLICES, loopback);
      expect(res.status).toBe(422);
      expect(res.body.message).toBe(
        'EndpointSlice.discovery.k8s.io "local" is invalid: endpoints[0].addresses[0]: Invalid value: "127.3.0.9": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      );
    } finally {
      await strict.stop();
    }
  });

  it('is readable, not writable, through the view role', async () => {
    await post('/apis/rbac.authorization.k8s.io/v1/namespaces/n/rolebindings', {
      metadata: { name: 'viewer' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'view',
      },
      subjects: [{ kind: 'User', name: 'viewer' }],
    });
    const list = await t.request('GET', SLICES, undefined, {
      Authorization: 'Bearer viewer-token',
    });
    expect(list.status).toBe(200);
    const create = await post(
      SLICES,
      slice('mine', ['10.0.0.1']),
      'viewer-token',
    );
    expect(create.status).toBe(403);
  });

  it('prints type, ports and endpoints as kubectl get does', async () => {
    await post(SLICES, {
      ...slice('printed', ['10.3.0.1', '10.3.0.2', '10.3.0.3', '10.3.0.4']),
      ports: [{ name: 'a', port: 80 }, { name: 'b' }],
    });
    const res = await t.request('GET', SLICES, undefined, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    expect(res.body.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'AddressType',
      'Ports',
      'Endpoints',
      'Age',
    ]);
    const row = res.body.rows.find((r: any) => r.cells[0] === 'printed');
    expect(row.cells.slice(1, 4)).toEqual([
      'IPv4',
      '80,b',
      '10.3.0.1,10.3.0.2,10.3.0.3 + 1 more...',
    ]);
  });

  it('watches the slices of one Service by its label', async () => {
    const start = await post(SLICES, slice('watched-1', ['10.4.0.1']));
    const seen: string[] = [];
    let done!: () => void;
    const deleted = new Promise<void>(r => (done = r));
    const req = await new Watch(t.kubeConfig()).watch(
      SLICES,
      {
        resourceVersion: start.body.metadata.resourceVersion,
        labelSelector: 'kubernetes.io/service-name=other',
      },
      (type, obj) => {
        seen.push(`${type}:${obj.metadata.name}`);
        if (type === 'DELETED') done();
      },
      () => undefined,
    );
    const other = slice('other-1', ['10.4.0.2']);
    other.metadata.labels['kubernetes.io/service-name'] = 'other';
    await post(SLICES, other);
    await post(SLICES, slice('watched-2', ['10.4.0.3']));
    await t.request('DELETE', `${SLICES}/other-1`);
    await deleted;
    req.abort();
    expect(seen).toEqual(['ADDED:other-1', 'DELETED:other-1']);
  });
});
