import type { Pod, Service } from '../kube/types';
import { MAX_ENDPOINTS_PER_SLICE, desiredSlices, sliceLabels } from './slices';

const pod = (
  name: string,
  ip: string | undefined,
  o: {
    ready?: boolean;
    ports?: Array<{ name: string; containerPort: number }>;
    deleting?: boolean;
    phase?: string;
    hostname?: string;
  } = {},
): Pod => ({
  metadata: {
    name,
    namespace: 'ns',
    uid: `uid-${name}`,
    ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  spec: {
    nodeName: 'n1',
    hostname: o.hostname,
    subdomain: o.hostname ? 's' : undefined,
    containers: [{ name: 'c', ports: o.ports }],
  },
  status: {
    phase: o.phase ?? 'Running',
    podIP: ip,
    conditions: [
      { type: 'Ready', status: o.ready === false ? 'False' : 'True' },
    ],
  },
});

const svc = (
  ports: NonNullable<Service['spec']>['ports'],
  extra: Partial<NonNullable<Service['spec']>> = {},
): Service => ({
  metadata: { name: 's', namespace: 'ns', uid: 'svc-uid', labels: { a: 'b' } },
  spec: { selector: { app: 'x' }, ports, ...extra },
});

describe('desiredSlices', () => {
  it('lists pods with an address, with the conditions of the real controller', () => {
    const [slice, ...rest] = desiredSlices(
      svc([{ name: 'http', port: 80, targetPort: 8080 }]),
      [
        pod('b', '127.1.1.3'),
        pod('a', '127.1.1.2', { ready: false }),
        pod('t', '127.1.1.4', { deleting: true }),
        pod('no-ip', undefined),
        pod('done', '127.1.1.5', { phase: 'Succeeded' }),
      ],
    );
    expect(rest).toEqual([]);
    expect(slice.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
    ]);
    expect(
      slice.endpoints.map(e => [
        e.addresses[0],
        e.conditions,
        e.targetRef?.name,
      ]),
    ).toEqual([
      ['127.1.1.2', { ready: false, serving: false, terminating: false }, 'a'],
      ['127.1.1.3', { ready: true, serving: true, terminating: false }, 'b'],
      // serving while it terminates, never ready
      ['127.1.1.4', { ready: false, serving: true, terminating: true }, 't'],
    ]);
  });

  it('resolves named target ports per pod, one slice per port set', () => {
    const slices = desiredSlices(
      svc([{ name: 'web', port: 80, targetPort: 'web' }]),
      [
        pod('a', '127.1.1.2', {
          ports: [{ name: 'web', containerPort: 8080 }],
        }),
        pod('b', '127.1.1.3', {
          ports: [{ name: 'web', containerPort: 9090 }],
        }),
      ],
    );
    expect(
      slices.map(s => [s.ports[0].port, s.endpoints.map(e => e.addresses[0])]),
    ).toEqual([
      [8080, ['127.1.1.2']],
      [9090, ['127.1.1.3']],
    ]);
  });

  it('publishes not-ready pods as ready when asked, and names pods of its subdomain', () => {
    const [slice] = desiredSlices(
      svc([{ port: 80 }], { publishNotReadyAddresses: true }),
      [pod('a', '127.1.1.2', { ready: false, hostname: 'a-0' })],
    );
    expect(slice.endpoints[0]).toMatchObject({
      conditions: { ready: true, serving: true },
      hostname: 'a-0',
    });
  });

  it('splits at the endpoints per slice limit and keeps one empty slice without pods', () => {
    const many = Array.from({ length: MAX_ENDPOINTS_PER_SLICE + 1 }, (_, i) =>
      pod(`p${i}`, `127.1.${Math.floor(i / 200) + 1}.${(i % 200) + 1}`),
    );
    expect(
      desiredSlices(svc([{ port: 80 }]), many).map(s => s.endpoints.length),
    ).toEqual([MAX_ENDPOINTS_PER_SLICE, 1]);
    expect(desiredSlices(svc([{ port: 80 }]), [])).toEqual([
      { ports: [], endpoints: [] },
    ]);
  });

  it('labels slices with their Service and manager, and headless ones as such', () => {
    expect(sliceLabels(svc([], { clusterIP: 'None' }))).toEqual({
      a: 'b',
      'kubernetes.io/service-name': 's',
      'endpointslice.kubernetes.io/managed-by':
        'endpointslice-controller.k8s.io',
      'service.kubernetes.io/headless': '',
    });
  });
});
