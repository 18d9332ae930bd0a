/** core/v1 Endpoints validation and the `kubernetes` Service's endpoints, through the API. */
import { startTestServer, type TestServer } from '../testutil';

const ENDPOINTS = '/api/v1/namespaces/n/endpoints';

describe('core Endpoints', () => {
  let t: TestServer;
  const post = (body: unknown) => t.request('POST', ENDPOINTS, body);
  const causes = (res: { body: any }) =>
    (res.body.details?.causes ?? []).map((c: any) => `${c.reason} ${c.field}`);
  const endpoints = (name: string, ips: string[], extra = {}) => ({
    metadata: { name },
    subsets: [
      {
        addresses: ips.map(ip => ({ ip })),
        ports: [{ port: 80 }],
        ...extra,
      },
    ],
  });

  beforeAll(async () => {
    t = await startTestServer();
    await t.request('POST', '/api/v1/namespaces', { metadata: { name: 'n' } });
  });
  afterAll(() => t.stop());

  it('refuses loopback addresses with the real message', async () => {
    const res = await post(endpoints('local', ['127.0.0.1']));
    expect(res.status).toBe(422);
    expect(res.body.message).toBe(
      'Endpoints "local" is invalid: subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    );
    expect(res.body.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'subsets[0].addresses[0].ip',
        message:
          'Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      },
    ]);
  });

  it('refuses unspecified, link-local and malformed addresses, ready or not', async () => {
    const res = await post(
      endpoints('special', ['0.0.0.0', '::', 'fe80::1', '224.0.0.5', '::1'], {
        notReadyAddresses: [{ ip: '169.254.169.254' }, { ip: '10.0.0.300' }],
      }),
    );
    expect(causes(res)).toEqual([
      'FieldValueInvalid subsets[0].addresses[0].ip',
      'FieldValueInvalid subsets[0].addresses[1].ip',
      'FieldValueInvalid subsets[0].addresses[2].ip',
      'FieldValueInvalid subsets[0].addresses[3].ip',
      'FieldValueInvalid subsets[0].addresses[4].ip',
      'FieldValueInvalid subsets[0].notReadyAddresses[0].ip',
      'FieldValueInvalid subsets[0].notReadyAddresses[1].ip',
    ]);
    expect(res.body.message).toContain(
      'subsets[0].addresses[1].ip: Invalid value: "::": may not be unspecified (::)',
    );
    expect(res.body.message).toContain(
      'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
    );
    expect(res.body.message).toContain(
      'Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    );
  });

  it('checks subsets and ports as validateEndpointSubsets does', async () => {
    const res = await post({
      metadata: { name: 'ports' },
      subsets: [
        { ports: [{ port: 80 }] },
        {
          addresses: [{ ip: '10.0.0.1' }],
          ports: [{ port: 80 }, { name: 'b', port: 0, protocol: 'ICMP' }],
        },
      ],
    });
    expect(causes(res)).toEqual([
      'FieldValueRequired subsets[0]',
      'FieldValueRequired subsets[1].ports[0].name',
      'FieldValueInvalid subsets[1].ports[1].port',
      'FieldValueNotSupported subsets[1].ports[1].protocol',
    ]);
  });

  it('accepts routable addresses and validates updates too', async () => {
    const ok = await post(endpoints('remote', ['10.0.0.1', '2001:db8::1']));
    expect(ok.status).toBe(201);
    expect(ok.body.subsets[0].ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    const put = await t.request('PUT', `${ENDPOINTS}/remote`, {
      ...ok.body,
      subsets: [{ addresses: [{ ip: '127.0.0.2' }], ports: [{ port: 80 }] }],
    });
    expect(put.status).toBe(422);
  });

  it('publishes the kubernetes Service as an EndpointSlice, not as Endpoints', async () => {
    const legacy = await t.request(
      'GET',
      '/api/v1/namespaces/default/endpoints/kubernetes',
    );
    expect(legacy.status).toBe(404);
    const svc = await t.request(
      'GET',
      '/api/v1/namespaces/default/services/kubernetes',
    );
    const slice = await t.request(
      'GET',
      '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes',
    );
    expect(slice.status).toBe(200);
    expect(slice.body.metadata.labels).toEqual({
      'kubernetes.io/service-name': 'kubernetes',
    });
    expect(slice.body).toMatchObject({
      addressType: 'IPv4',
      endpoints: [
        { addresses: [t.address.nodeIP], conditions: { ready: true } },
      ],
      ports: [
        {
          name: 'https',
          protocol: 'TCP',
          port: svc.body.spec.ports[0].targetPort,
        },
      ],
    });
  });
});
