import type { CoreV1Api, V1Service } from '@kubernetes/client-node';
import net from 'node:net';
import { allocateAddressPlan } from '../address/allocate';
import {
  StaticEndpoints,
  StaticInformer,
  sliceOf,
} from '../kube/staticInformer';
import { ServiceProxy } from './serviceProxy';
import { ask, TagServers } from './testServers';

describe('ServiceProxy (API at the unit boundary, real sockets)', () => {
  let plan: Awaited<ReturnType<typeof allocateAddressPlan>>;
  const servers = new TagServers();
  let services: StaticInformer<V1Service>;
  let endpoints: StaticEndpoints;
  let statusWrites: V1Service[];
  let proxy: ServiceProxy;
  const nodePort = 30000 + Math.floor(Math.random() * 2000);
  let ip: (suffix: string) => string;

  beforeEach(async () => {
    plan = await allocateAddressPlan();
    ip = suffix => `127.${plan.octet}.${suffix}`;
    await servers.start(ip('1.4'), 9000, 'pod-4');
    await servers.start(ip('1.5'), 9000, 'pod-5');
    services = new StaticInformer([
      {
        metadata: {
          namespace: 'ns',
          name: 'web',
          uid: 'uid-web',
          resourceVersion: '1',
        },
        spec: {
          type: 'LoadBalancer',
          clusterIP: ip('64.10'),
          ports: [{ name: 'tcp', port: 7000, targetPort: 9000, nodePort }],
        },
      },
      {
        metadata: { namespace: 'ns', name: 'headless', uid: 'uid-h' },
        spec: { clusterIP: 'None', ports: [{ port: 7001 }] },
      },
    ]);
    endpoints = new StaticEndpoints({
      'ns/web': [
        sliceOf([{ name: 'tcp', port: 9000 }], [ip('1.4'), ip('1.5')]),
      ],
    });
    statusWrites = [];
    const core = {
      readNamespacedService: async ({
        namespace,
        name,
      }: {
        namespace: string;
        name: string;
      }) => services.get(namespace, name),
      replaceNamespacedServiceStatus: async ({ body }: { body: V1Service }) => {
        // as the API server: every write is a new resourceVersion
        const stored = {
          ...body,
          metadata: {
            ...body.metadata,
            resourceVersion: String(Number(body.metadata?.resourceVersion) + 1),
          },
        };
        statusWrites.push(stored);
        services.set(stored);
        return stored;
      },
    } as unknown as CoreV1Api;
    proxy = new ServiceProxy({
      address: plan,
      services,
      endpoints,
      core,
      log: () => undefined,
      kick: () => undefined,
    });
    await proxy.reconcile();
  });

  afterEach(async () => {
    await proxy.stop();
    await servers.closeAll();
    plan.release();
  });

  it('forwards ClusterIP, NodePort and LoadBalancer connections round robin to ready endpoints', async () => {
    const lbIP = ip('128.1');
    expect(proxy.listening().sort()).toEqual(
      [
        `${ip('0.1')}:${nodePort}`,
        `${ip('128.1')}:7000`,
        `${ip('64.10')}:7000`,
      ].sort(),
    );
    const answers = [
      await ask(ip('64.10'), 7000, 'a'),
      await ask(ip('64.10'), 7000, 'b'),
    ];
    expect(new Set(answers.map(a => a.split(':')[0]))).toEqual(
      new Set(['pod-4', 'pod-5']),
    );
    expect(await ask(ip('0.1'), nodePort, 'n')).toMatch(/^pod-[45]:n$/);
    expect(await ask(lbIP, 7000, 'l')).toMatch(/^pod-[45]:l$/);
    await new Promise(r => setImmediate(r));
    expect(statusWrites.map(s => s.status?.loadBalancer)).toEqual([
      { ingress: [{ ip: lbIP }] },
    ]);
  });

  it('connects to endpoints from the node IP', async () => {
    const server = net.createServer(socket =>
      socket.end(String(socket.remoteAddress)),
    );
    await new Promise<void>(resolve => server.listen(9001, ip('1.7'), resolve));
    try {
      services.set({
        metadata: { namespace: 'ns', name: 'src', uid: 'uid-src' },
        spec: { clusterIP: ip('64.11'), ports: [{ port: 7002 }] },
      });
      endpoints.set('ns', 'src', [sliceOf([{ port: 9001 }], [ip('1.7')])]);
      await proxy.reconcile();
      expect(await ask(ip('64.11'), 7002)).toBe(plan.nodeIP);
    } finally {
      server.close();
    }
  });

  it('retries the next endpoint when one refuses', async () => {
    endpoints.set('ns', 'web', [
      sliceOf([{ name: 'tcp', port: 9000 }], [ip('1.9'), ip('1.5')]),
    ]);
    for (let i = 0; i < 4; i++)
      expect(await ask(ip('64.10'), 7000, String(i))).toBe(`pod-5:${i}`);
  });

  it('resets connections when there is no ready endpoint', async () => {
    endpoints.set('ns', 'web', [
      sliceOf([{ name: 'tcp', port: 9000 }], [], [ip('1.4')]),
    ]);
    await expect(ask(ip('64.10'), 7000)).rejects.toThrow(
      /ECONNRESET|socket hang up/,
    );
  });

  it('closes listeners and clears the load balancer status when the Service changes or goes', async () => {
    await new Promise(r => setImmediate(r));
    const web = services.get('ns', 'web')!;
    const rv = String(Number(web.metadata!.resourceVersion) + 1);
    services.set({
      ...web,
      metadata: { ...web.metadata, resourceVersion: rv },
      spec: {
        ...web.spec,
        type: 'ClusterIP',
        ports: [{ name: 'tcp', port: 7000, targetPort: 9000 }],
      },
    });
    await proxy.reconcile();
    await new Promise(r => setImmediate(r));
    expect(proxy.listening()).toEqual([`${ip('64.10')}:7000`]);
    expect(proxy.loadBalancerIP('uid-web')).toBeUndefined();
    expect(services.get('ns', 'web')!.status?.loadBalancer).toEqual({});
    await expect(ask(ip('128.1'), 7000)).rejects.toThrow(/ECONNREFUSED/);

    services.delete('ns', 'web');
    await proxy.reconcile();
    expect(proxy.listening()).toEqual([]);
    await expect(ask(ip('64.10'), 7000)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('without a load balancer implementation: node ports only, and the status stays empty (bare metal)', async () => {
    await proxy.stop();
    const web = services.get('ns', 'web')!;
    services.set({ ...web, status: { loadBalancer: {} } });
    statusWrites = [];
    proxy = new ServiceProxy({
      address: plan,
      services,
      endpoints,
      core: {
        replaceNamespacedServiceStatus: async ({
          body,
        }: {
          body: V1Service;
        }) => {
          statusWrites.push(body);
          return body;
        },
      } as unknown as CoreV1Api,
      log: () => undefined,
      kick: () => undefined,
      loadBalancer: false,
    });
    await proxy.reconcile();
    await proxy.reconcile();
    await new Promise(r => setImmediate(r));
    expect(proxy.listening().sort()).toEqual(
      [`${ip('0.1')}:${nodePort}`, `${ip('64.10')}:7000`].sort(),
    );
    expect(await ask(ip('0.1'), nodePort, 'n')).toMatch(/^pod-[45]:n$/);
    await expect(ask(ip('128.1'), 7000)).rejects.toThrow(/ECONNREFUSED/);
    expect(proxy.loadBalancerIP('uid-web')).toBeUndefined();
    expect(statusWrites).toEqual([]);
    expect(services.get('ns', 'web')!.status).toEqual({ loadBalancer: {} });
  });
});
