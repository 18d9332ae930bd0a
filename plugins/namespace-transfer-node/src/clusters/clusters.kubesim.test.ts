/**
 * Against two real kube-sim clusters (HTTPS API, RBAC, fault injection): building clients from a
 * kubeconfig context and from URL + token + CA, discovery, retries on injected faults, 409 retries.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { startClusters, type SimWorld } from 'kube-sim';
import {
  Discovery,
  kubeConfigFromContext,
  kubeConfigFromToken,
  retryOnConflict,
} from '.';

jest.setTimeout(120_000);

describe('clusters against kube-sim', () => {
  let world: SimWorld;
  beforeAll(async () => {
    world = await startClusters([
      { name: 'east' },
      { name: 'west', openshift: true },
    ]);
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('builds clients from a kubeconfig context and from URL + token + CA', async () => {
    const west = world.cluster('west');
    const fromContext = kubeConfigFromContext({
      kubeconfigPath: world.kubeconfigPath,
      context: 'west',
    });
    expect(fromContext.getCurrentCluster()!.server).toBe(west.server);
    expect(() =>
      kubeConfigFromContext({
        kubeconfigPath: world.kubeconfigPath,
        context: 'nowhere',
      }),
    ).toThrow(/no context "nowhere"/);
    const fromToken = kubeConfigFromToken({
      name: 'west',
      url: west.server,
      token: west.token,
      caData: west.caPem,
    });
    const ns = await fromToken.makeApiClient(CoreV1Api).listNamespace();
    expect(ns.items.map(n => n.metadata!.name)).toContain('default');
    // a wrong CA is refused: the token never goes to an unverified server
    const east = world.cluster('east');
    const wrongCa = kubeConfigFromToken({
      name: 'west',
      url: west.server,
      token: west.token,
      caData: east.caPem,
    });
    await expect(
      wrongCa.makeApiClient(CoreV1Api).listNamespace(),
    ).rejects.toThrow();
  });

  it('discovers the Route API, storage classes and Pod Security labels', async () => {
    const east = new Discovery(world.cluster('east').kubeConfig());
    const west = new Discovery(world.cluster('west').kubeConfig());
    expect(await east.routeApiServed()).toBe(false);
    expect(await west.routeApiServed()).toBe(true);
    expect(await east.isServed('apps/v1')).toBe(true);
    const classes = await east.storageClasses();
    expect(Array.isArray(classes)).toBe(true);
    const core = world.cluster('east').kubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespace({
      body: {
        metadata: {
          name: 'psa',
          labels: {
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/warn': 'restricted',
          },
        },
      },
    });
    expect(await east.podSecurity('psa')).toEqual({
      enforce: 'restricted',
      warn: 'restricted',
    });
  });

  it('retries injected 503s and 429s until the call succeeds', async () => {
    const east = world.cluster('east');
    // an identity of its own: kube-sim's controllers list and get through the same API server, and a
    // fault they took would leave fewer retries here
    const engine = east.userKubeConfig({
      username: 'engine',
      groups: ['system:masters'],
    });
    const fault503 = east.apiServer.faults.add({
      user: 'engine',
      verb: 'list',
      resource: 'storageclasses',
      errorRate: 1,
      status: 503,
      count: 3,
    });
    const retries: number[] = [];
    try {
      const discovery = new Discovery(engine, {
        baseMs: 10,
        onRetry: ({ error }) => retries.push((error as { code: number }).code),
      });
      const classes = await discovery.storageClasses();
      expect(Array.isArray(classes)).toBe(true);
    } finally {
      fault503();
    }
    expect(retries).toEqual([503, 503, 503]);
    expect(fault503.hits).toBe(3);
    // a 429 with Retry-After is honoured too
    const fault429 = east.apiServer.faults.add({
      user: 'engine',
      verb: 'get',
      resource: 'namespaces',
      errorRate: 1,
      status: 429,
      count: 1,
    });
    const delays: number[] = [];
    try {
      const d = new Discovery(engine, {
        onRetry: ({ delayMs }) => delays.push(delayMs),
      });
      expect(await d.podSecurity('default')).toEqual({});
    } finally {
      fault429();
    }
    expect(delays).toHaveLength(1);
    expect(fault429.hits).toBe(1);
  });

  it('retries a read-modify-write that lost a race with a 409 from the real API server', async () => {
    const core = world.cluster('east').kubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'counter' }, data: { n: '0' } },
    });
    let attempts = 0;
    await retryOnConflict(async () => {
      attempts++;
      const cm = await core.readNamespacedConfigMap({
        name: 'counter',
        namespace: 'default',
      });
      if (attempts === 1) {
        // a concurrent writer bumps the resourceVersion between our GET and PUT
        const other = await core.readNamespacedConfigMap({
          name: 'counter',
          namespace: 'default',
        });
        other.data = { n: '100' };
        await core.replaceNamespacedConfigMap({
          name: 'counter',
          namespace: 'default',
          body: other,
        });
      }
      cm.data = { n: String(Number(cm.data!.n) + 1) };
      await core.replaceNamespacedConfigMap({
        name: 'counter',
        namespace: 'default',
        body: cm,
      });
    });
    expect(attempts).toBe(2);
    const final = await core.readNamespacedConfigMap({
      name: 'counter',
      namespace: 'default',
    });
    expect(final.data).toEqual({ n: '101' });
  });
});
