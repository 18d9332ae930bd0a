/** Fault injection as a client sees it: injected Status errors, 429 with Retry-After, latency, dropped watches. */
import { CoreV1Api, Watch } from '@kubernetes/client-node';
import { Faults } from './faults';
import { startTestServer, type TestServer } from './testutil';

describe('Faults (unit)', () => {
  it('matches by verb, resource and namespace and stops after count', () => {
    const f = new Faults(() => undefined);
    f.add({
      verb: 'create',
      resource: 'pods',
      namespace: 'a',
      status: 503,
      count: 1,
    });
    expect(f.evaluate('create', 'pods', 'b').error).toBeUndefined();
    expect(f.evaluate('list', 'pods', 'a').error).toBeUndefined();
    expect(f.evaluate('create', 'pods', 'a').error?.code).toBe(503);
    expect(f.evaluate('create', 'pods', 'a').error).toBeUndefined();
  });

  it('uses Math.random against the error rate', () => {
    const f = new Faults(() => undefined);
    f.add({ errorRate: 0.5 });
    const spy = jest.spyOn(Math, 'random');
    spy.mockReturnValueOnce(0.7);
    expect(f.evaluate('get', 'pods').error).toBeUndefined();
    spy.mockReturnValueOnce(0.2);
    expect(f.evaluate('get', 'pods').error?.code).toBe(500);
    spy.mockRestore();
  });
});

describe('Faults (through the server)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  it('injects 429 with Retry-After, then recovers', async () => {
    const remove = t.server.faults.add({
      verb: 'list',
      resource: 'configmaps',
      status: 429,
      count: 2,
    });
    const first = await t.request(
      'GET',
      '/api/v1/namespaces/default/configmaps',
    );
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(first.body).toMatchObject({
      reason: 'TooManyRequests',
      details: { retryAfterSeconds: 1 },
    });
    expect(
      (await t.request('GET', '/api/v1/namespaces/default/configmaps')).status,
    ).toBe(429);
    expect(
      (await t.request('GET', '/api/v1/namespaces/default/configmaps')).status,
    ).toBe(200);
    remove();
  });

  it('adds latency to matching requests', async () => {
    t.server.faults.add({
      verb: 'get',
      resource: 'namespaces',
      latencyMs: 300,
    });
    const started = Date.now();
    await t
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .readNamespace({ name: 'default' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    t.server.faults.clear();
  });

  it('drops open watches', async () => {
    const done = new Promise<void>(resolve => {
      void new Watch(t.kubeConfig()).watch(
        '/api/v1/configmaps',
        {},
        () => undefined,
        () => resolve(),
      );
    });
    await new Promise(r => setTimeout(r, 200));
    t.server.faults.dropWatches();
    // the watch's done callback runs: the client saw its stream end
    await expect(done).resolves.toBeUndefined();
  });
});
