import { hostIngress } from '../../testing/ingress';
import type {
  CustomObjectsApi,
  NetworkingV1Api,
  V1Ingress,
  V1IngressClass,
  V1Service,
} from '@kubernetes/client-node';
import tls from 'node:tls';
import { allocateAddressPlan } from '../address/allocate';
import {
  StaticEndpoints,
  StaticInformer,
  sliceOf,
} from '../kube/staticInformer';
import { createCertificateAuthority, KeyPair } from '../../pki';
import { Router } from './router';
import { PASSTHROUGH_ANNOTATION, Route } from './table';

jest.setTimeout(30_000);

/** A TLS server that proves which backend answered: it echoes its tag and the SNI it saw. */
async function startTlsBackend(
  host: string,
  port: number,
  tag: string,
  keyPair: KeyPair,
): Promise<tls.Server> {
  const server = tls.createServer(
    { cert: keyPair.certPem, key: keyPair.keyPem },
    socket => {
      socket.on('error', () => undefined);
      socket.end(
        `${tag} ${(socket as tls.TLSSocket & { servername?: string }).servername}`,
      );
    },
  );
  await new Promise<void>(resolve => server.listen(port, host, resolve));
  return server;
}

function tlsAsk(
  host: string,
  port: number,
  servername: string,
  ca: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername, ca });
    let out = '';
    let secure = false;
    const finish = () =>
      secure
        ? resolve(out)
        : reject(new Error('closed before the TLS handshake'));
    socket.on('secureConnect', () => (secure = true));
    socket.on('data', d => (out += d));
    socket.on('end', finish);
    socket.on('error', reject);
    socket.on('close', finish);
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
  });
}

describe('Router (API at the unit boundary, real TLS)', () => {
  let plan: Awaited<ReturnType<typeof allocateAddressPlan>>;
  const backends: tls.Server[] = [];
  let router: Router;
  let caPem: string;
  let routeWrites: Route[];
  let ingressWrites: V1Ingress[];
  let routes: StaticInformer<Route>;
  let ingresses: StaticInformer<V1Ingress>;

  beforeAll(async () => {
    plan = await allocateAddressPlan();
    const ip = (s: string) => `127.${plan.octet}.${s}`;
    const ca = await createCertificateAuthority('router-test');
    caPem = ca.certPem;
    const cert = await ca.issue({
      commonName: 'backend',
      dnsNames: ['route.apps.test', 'ingress.example.test'],
      usage: 'server',
    });
    backends.push(
      await startTlsBackend(ip('1.20'), 8443, 'route-backend', cert),
    );
    backends.push(
      await startTlsBackend(ip('1.21'), 9443, 'ingress-backend', cert),
    );

    const services = new StaticInformer<V1Service>([
      {
        metadata: { namespace: 'ns', name: 'r' },
        spec: {
          clusterIP: ip('64.20'),
          ports: [{ name: 'tls', port: 443, targetPort: 8443 }],
        },
      },
      {
        metadata: { namespace: 'ns', name: 'i' },
        spec: {
          clusterIP: ip('64.21'),
          ports: [{ name: 'https', port: 443, targetPort: 9443 }],
        },
      },
    ]);
    const endpoints = new StaticEndpoints({
      'ns/r': [sliceOf([{ name: 'tls', port: 8443 }], [ip('1.20')])],
      'ns/i': [sliceOf([{ name: 'https', port: 9443 }], [ip('1.21')])],
    });
    routes = new StaticInformer<Route>([
      {
        metadata: { namespace: 'ns', name: 'route', uid: 'u1' },
        spec: {
          host: 'route.apps.test',
          to: { kind: 'Service', name: 'r' },
          port: { targetPort: 'tls' },
          tls: { termination: 'passthrough' },
        },
      },
    ]);
    const passthroughIngress = (
      name: string,
      className: string,
      host: string,
    ): V1Ingress =>
      hostIngress({
        name,
        host,
        className,
        namespace: 'ns',
        uid: name,
        service: 'i',
        port: { number: 443 },
        annotations: { [PASSTHROUGH_ANNOTATION]: 'true' },
      });
    ingresses = new StaticInformer<V1Ingress>([
      passthroughIngress('ing', 'nginx', 'ingress.example.test'),
      // another controller's class: ingress-nginx neither routes it nor writes its status
      passthroughIngress('foreign', 'traefik', 'foreign.example.test'),
    ]);
    const ingressClasses = new StaticInformer<V1IngressClass>([
      {
        metadata: { name: 'nginx' },
        spec: { controller: 'k8s.io/ingress-nginx' },
      },
      {
        metadata: { name: 'traefik' },
        spec: { controller: 'traefik.io/ingress-controller' },
      },
    ]);
    routeWrites = [];
    ingressWrites = [];
    const customObjects = {
      getNamespacedCustomObject: async ({
        namespace,
        name,
      }: {
        namespace: string;
        name: string;
      }) => routes.get(namespace, name),
      replaceNamespacedCustomObjectStatus: async ({
        body,
      }: {
        body: Route;
      }) => {
        routeWrites.push(body);
        routes.set(body);
        return body;
      },
    } as unknown as CustomObjectsApi;
    const networking = {
      readNamespacedIngress: async ({
        namespace,
        name,
      }: {
        namespace: string;
        name: string;
      }) => ingresses.get(namespace, name),
      replaceNamespacedIngressStatus: async ({ body }: { body: V1Ingress }) => {
        ingressWrites.push(body);
        ingresses.set(body);
        return body;
      },
    } as unknown as NetworkingV1Api;
    router = new Router({
      routerIP: plan.routerIP,
      routeDomain: 'apps.test',
      services,
      endpoints,
      ingresses,
      ingressClasses,
      networking,
      customObjects,
      log: () => undefined,
      kick: () => undefined,
    });
    router.useRoutes(routes);
    await router.reconcile();
    await new Promise(r => setTimeout(r, 50));
  });

  afterAll(async () => {
    await router.stop();
    await Promise.all(backends.map(s => new Promise(r => s.close(r))));
    plan.release();
  });

  it('passes TLS through by SNI (matched case-insensitively, bytes untouched) to the Route and Ingress backends', async () => {
    expect(await tlsAsk(plan.routerIP, 443, 'route.apps.test', caPem)).toBe(
      'route-backend route.apps.test',
    );
    expect(
      await tlsAsk(plan.routerIP, 443, 'INGRESS.example.test', caPem),
    ).toBe('ingress-backend INGRESS.example.test');
  });

  it('closes connections for unknown names and for Ingresses of other controllers', async () => {
    for (const name of ['nobody.example.test', 'foreign.example.test'])
      await expect(tlsAsk(plan.routerIP, 443, name, caPem)).rejects.toThrow(
        /socket disconnected|ECONNRESET|before the TLS handshake/,
      );
  });

  it('writes Route and Ingress status', () => {
    expect(routeWrites).toHaveLength(1);
    expect(routeWrites[0].status?.ingress?.[0]).toMatchObject({
      host: 'route.apps.test',
      routerName: 'default',
      routerCanonicalHostname: 'router-default.apps.test',
      conditions: [{ type: 'Admitted', status: 'True' }],
    });
    expect(
      ingressWrites.map(i => [i.metadata?.name, i.status?.loadBalancer]),
    ).toEqual([['ing', { ingress: [{ ip: plan.routerIP }] }]]);
    expect(router.externalNames()).toEqual([
      'ingress.example.test',
      'route.apps.test',
    ]);
  });
});
