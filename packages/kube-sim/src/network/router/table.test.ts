import { hostIngress } from '../../testing/ingress';
import type {
  V1Ingress,
  V1IngressClass,
  V1Service,
} from '@kubernetes/client-node';
import { sliceOf } from '../kube/staticInformer';
import { desiredRouteIngress } from './status';
import { buildRouterTable, PASSTHROUGH_ANNOTATION, Route } from './table';

const service: V1Service = {
  metadata: { namespace: 'ns', name: 'rsync' },
  spec: {
    clusterIP: '127.61.64.9',
    ports: [
      { name: 'tls', port: 443, targetPort: 8443 },
      { name: 'plain', port: 873 },
    ],
  },
};
const endpoints = [
  sliceOf(
    [
      { name: 'tls', port: 8443 },
      { name: 'plain', port: 873 },
    ],
    ['127.61.1.4', '127.61.1.5'],
    ['127.61.1.6'],
  ),
];

const ingressClass = (name: string, controller: string): V1IngressClass => ({
  metadata: { name },
  spec: { controller },
});
const CLASSES = [ingressClass('nginx', 'k8s.io/ingress-nginx')];

const ingress = (
  name: string,
  annotations: Record<string, string>,
  port: { number?: number; name?: string },
  host: string,
  className: string | null = 'nginx',
): V1Ingress =>
  hostIngress({
    name,
    host,
    port,
    annotations,
    namespace: 'ns',
    service: 'rsync',
    className: className ?? undefined,
  });
const PASS = { [PASSTHROUGH_ANNOTATION]: 'true' };

const route = (
  name: string,
  spec: Route['spec'],
  created = '2026-01-01T00:00:00Z',
): Route => ({
  metadata: { namespace: 'ns', name, uid: name, creationTimestamp: created },
  spec,
});

describe('router table', () => {
  it('routes passthrough Routes to the endpoints of targetPort (by name or number)', () => {
    const table = buildRouterTable(
      [
        route('by-name', {
          host: 'A.example.test',
          to: { kind: 'Service', name: 'rsync' },
          port: { targetPort: 'tls' },
          tls: { termination: 'passthrough' },
        }),
        route('by-number', {
          host: 'b.example.test',
          to: { kind: 'Service', name: 'rsync' },
          port: { targetPort: 873 },
          tls: { termination: 'passthrough' },
        }),
        route('by-service-port', {
          host: 'c.example.test',
          to: { kind: 'Service', name: 'rsync' },
          port: { targetPort: 443 },
          tls: { termination: 'passthrough' },
        }),
        route('default-host', {
          to: { kind: 'Service', name: 'rsync' },
          tls: { termination: 'passthrough' },
        }),
      ],
      [],
      [],
      'apps.east.test',
    );
    const pick = (host: string) =>
      table.hosts
        .get(host)!
        .select(service, endpoints)
        .map(b => `${b.host}:${b.port}`);
    expect(pick('a.example.test')).toEqual([
      '127.61.1.4:8443',
      '127.61.1.5:8443',
    ]);
    expect(pick('b.example.test')).toEqual([
      '127.61.1.4:873',
      '127.61.1.5:873',
    ]);
    expect(pick('c.example.test')).toEqual([
      '127.61.1.4:8443',
      '127.61.1.5:8443',
    ]);
    expect(pick('default-host-ns.apps.east.test')).toEqual([
      '127.61.1.4:8443',
      '127.61.1.5:8443',
    ]);
    expect(table.externalNames).toEqual([
      'a.example.test',
      'b.example.test',
      'c.example.test',
      'default-host-ns.apps.east.test',
    ]);
    expect([...table.routes.values()].every(v => v.admitted)).toBe(true);
  });

  it('admits the oldest Route of a host and refuses what it cannot serve', () => {
    const table = buildRouterTable(
      [
        route(
          'newer',
          {
            host: 'x.test',
            to: { name: 'rsync' },
            tls: { termination: 'passthrough' },
          },
          '2026-02-01T00:00:00Z',
        ),
        route(
          'older',
          {
            host: 'x.test',
            to: { name: 'rsync' },
            tls: { termination: 'passthrough' },
          },
          '2026-01-01T00:00:00Z',
        ),
        route('edge', {
          host: 'edge.test',
          to: { name: 'rsync' },
          tls: { termination: 'edge' },
        }),
      ],
      [],
      [],
      'apps.test',
    );
    expect(table.routes.get('ns/older')).toEqual({
      host: 'x.test',
      admitted: true,
    });
    expect(table.routes.get('ns/newer')).toMatchObject({
      admitted: false,
      reason: 'HostAlreadyClaimed',
    });
    expect(table.routes.get('ns/edge')).toMatchObject({
      admitted: false,
      reason: 'UnsupportedTermination',
    });
    expect(table.hosts.get('x.test')!.name).toBe('older');
    expect(table.hosts.has('edge.test')).toBe(false);
  });

  it('routes Ingress hosts with ssl-passthrough to the backend service port', () => {
    const table = buildRouterTable(
      [],
      [
        ingress(
          'pass',
          { [PASSTHROUGH_ANNOTATION]: 'true' },
          { number: 443 },
          'in.example.test',
        ),
        ingress(
          'named',
          { [PASSTHROUGH_ANNOTATION]: 'true' },
          { name: 'plain' },
          'named.example.test',
        ),
        ingress('terminating', {}, { number: 443 }, 'web.example.test'),
      ],
      CLASSES,
      'apps.test',
    );
    expect(
      table.hosts.get('in.example.test')!.select(service, endpoints),
    ).toEqual([
      { host: '127.61.1.4', port: 8443 },
      { host: '127.61.1.5', port: 8443 },
    ]);
    expect(
      table.hosts
        .get('named.example.test')!
        .select(service, endpoints)
        .map(b => b.port),
    ).toEqual([873, 873]);
    expect(table.hosts.has('web.example.test')).toBe(false);
    expect([...table.ingresses].sort()).toEqual([
      'ns/named',
      'ns/pass',
      'ns/terminating',
    ]);
    expect(table.externalNames).toEqual([
      'in.example.test',
      'named.example.test',
      'web.example.test',
    ]);
  });

  it('serves only Ingresses of an ingress-nginx class, or with the legacy "nginx" annotation', () => {
    const classes = [
      ...CLASSES,
      ingressClass('internal', 'k8s.io/ingress-nginx'),
      ingressClass('traefik', 'traefik.io/ingress-controller'),
    ];
    const legacy = (name: string, value: string) =>
      ingress(
        name,
        { ...PASS, 'kubernetes.io/ingress.class': value },
        { number: 443 },
        `${name}.test`,
        null,
      );
    const table = buildRouterTable(
      [],
      [
        ingress('nginx', PASS, { number: 443 }, 'nginx.test'),
        ingress('internal', PASS, { number: 443 }, 'internal.test', 'internal'),
        ingress('traefik', PASS, { number: 443 }, 'traefik.test', 'traefik'),
        ingress('missing', PASS, { number: 443 }, 'missing.test', 'missing'),
        ingress('classless', PASS, { number: 443 }, 'classless.test', null),
        legacy('legacy', 'nginx'),
        legacy('legacy-internal', 'internal'),
      ],
      classes,
      'apps.test',
    );
    const served = ['internal', 'legacy', 'nginx'];
    expect([...table.ingresses].sort()).toEqual(served.map(n => `ns/${n}`));
    expect([...table.hosts.keys()].sort()).toEqual(
      served.map(n => `${n}.test`),
    );
    expect(table.externalNames).toEqual(served.map(n => `${n}.test`));
  });

  it('serves an Ingress once its class appears, and stops when the class goes', () => {
    const ing = ingress('late', PASS, { number: 443 }, 'late.test', 'late');
    expect(
      buildRouterTable([], [ing], CLASSES, 'apps.test').ingresses.size,
    ).toBe(0);
    const withClass = buildRouterTable(
      [],
      [ing],
      [...CLASSES, ingressClass('late', 'k8s.io/ingress-nginx')],
      'apps.test',
    );
    expect(withClass.hosts.get('late.test')?.name).toBe('late');
    expect(buildRouterTable([], [ing], [], 'apps.test').hosts.size).toBe(0);
  });

  it('writes the OpenShift router status and keeps it stable', () => {
    const r = route('a', {
      host: 'a.test',
      to: { name: 'rsync' },
      tls: { termination: 'passthrough' },
    });
    r.status = {
      ingress: [
        {
          host: 'a.test',
          routerName: 'sharded',
          conditions: [{ type: 'Admitted', status: 'True' }],
        },
      ],
    };
    const first = desiredRouteIngress(
      r,
      { host: 'a.test', admitted: true },
      'router-default.apps.test',
      '2026-03-01T00:00:00Z',
    );
    expect(first).toEqual([
      r.status.ingress![0],
      {
        host: 'a.test',
        routerName: 'default',
        routerCanonicalHostname: 'router-default.apps.test',
        wildcardPolicy: 'None',
        conditions: [
          {
            type: 'Admitted',
            status: 'True',
            lastTransitionTime: '2026-03-01T00:00:00Z',
          },
        ],
      },
    ]);
    const again = desiredRouteIngress(
      { ...r, status: { ingress: first } },
      { host: 'a.test', admitted: true },
      'router-default.apps.test',
      '2026-03-02T00:00:00Z',
    );
    expect(again).toEqual(first);
  });
});
