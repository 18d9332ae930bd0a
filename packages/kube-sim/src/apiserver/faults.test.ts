/** Fault injection as a client sees it: injected Status errors, 429 with Retry-After, latency, dropped watches. */
import { CoreV1Api, Watch } from '@kubernetes/client-node';
import type { FaultRequest } from '../contracts';
import { Faults } from './faults';
import { startTestServer, type TestServer } from './testutil';

const ENGINE_TOKEN = 'engine-token';

const ADMIN = { username: 'admin', groups: ['system:masters'] };

/** one request as the server hands it to the rules, by the admin unless said otherwise */
const req = (
  verb: string,
  resource: string,
  namespace?: string,
  more: Partial<FaultRequest> = {},
): FaultRequest => ({ verb, resource, namespace, user: ADMIN, ...more });

/** which of n identical requests a rule fails, as a string of 0/1 */
function pattern(f: Faults, n: number): string {
  return Array.from({ length: n }, () =>
    f.evaluate(req('get', 'pods')).error ? '1' : '0',
  ).join('');
}

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
    expect(f.evaluate(req('create', 'pods', 'b')).error).toBeUndefined();
    expect(f.evaluate(req('list', 'pods', 'a')).error).toBeUndefined();
    expect(f.evaluate(req('create', 'pods', 'a')).error?.code).toBe(503);
    expect(f.evaluate(req('create', 'pods', 'a')).error).toBeUndefined();
  });

  it('scopes a rule to one user, one object name, or a predicate', () => {
    const f = new Faults(() => undefined);
    const engine = { username: 'engine', groups: ['system:masters'] };
    const controllers = {
      username: 'system:kube-controller-manager',
      groups: ['system:masters'],
    };
    const byUser = f.add({ verb: 'update', user: 'engine', status: 403 });
    expect(
      f.evaluate(
        req('update', 'persistentvolumes', undefined, { user: controllers }),
      ).error,
    ).toBeUndefined();
    expect(
      f.evaluate(
        req('update', 'persistentvolumes', undefined, { user: engine }),
      ).error?.code,
    ).toBe(403);
    byUser.remove();

    f.add({ verb: 'get', name: 'data', status: 404 });
    expect(
      f.evaluate(req('get', 'persistentvolumeclaims', 'a', { name: 'other' }))
        .error,
    ).toBeUndefined();
    expect(
      f.evaluate(req('get', 'persistentvolumeclaims', 'a', { name: 'data' }))
        .error?.code,
    ).toBe(404);
    f.clear();

    f.add({
      status: 409,
      when: q => q.user.groups.includes('system:serviceaccounts'),
    });
    expect(f.evaluate(req('get', 'pods')).error).toBeUndefined();
    const sa = {
      username: 'system:serviceaccount:ns:mover',
      groups: ['system:serviceaccounts'],
    };
    expect(f.evaluate(req('get', 'pods', 'ns', { user: sa })).error?.code).toBe(
      409,
    );
  });

  it('decides the error rate with a seeded PRNG: the same seed replays the same failures', () => {
    const run = (seed?: number) => {
      const f = new Faults(() => undefined);
      const h = f.add({ errorRate: 0.5, seed });
      return { pattern: pattern(f, 64), seed: h.seed };
    };
    const a = run(42);
    expect(a.seed).toBe(42);
    expect(run(42).pattern).toBe(a.pattern);
    expect(run(43).pattern).not.toBe(a.pattern);
    // about half fail, in no trivial pattern
    const failed = a.pattern.split('').filter(c => c === '1').length;
    expect(failed).toBeGreaterThan(16);
    expect(failed).toBeLessThan(48);
    // without a seed: the injector's, the same from one run to the next
    expect(run().pattern).toBe(run().pattern);
    expect(run().seed).toBe(run().seed);
    // Math.random plays no part
    const spy = jest.spyOn(Math, 'random').mockReturnValue(0);
    try {
      expect(run(42).pattern).toBe(a.pattern);
    } finally {
      spy.mockRestore();
    }
  });

  it('gives rules without a seed different sequences, and keeps each rule sequence whatever others do', () => {
    const f = new Faults(() => undefined);
    const first = f.add({ verb: 'get', errorRate: 0.5 });
    const second = f.add({ verb: 'list', errorRate: 0.5 });
    expect(first.seed).not.toBe(second.seed);

    const alone = new Faults(() => undefined);
    alone.add({ errorRate: 0.5, seed: 7 });
    const shared = new Faults(() => undefined);
    // an earlier rule that fails every request takes the error, yet the seeded rule still draws
    shared.add({ status: 500, count: 10 });
    shared.add({ errorRate: 0.5, seed: 7 });
    for (let i = 0; i < 10; i++) shared.evaluate(req('get', 'pods'));
    // the first 10 draws of both are spent; what follows matches
    pattern(alone, 10);
    expect(pattern(shared, 32)).toBe(pattern(alone, 32));
  });

  it('counts the requests each rule failed and matched, and all failures', () => {
    const f = new Faults(() => undefined);
    const failing = f.add({ verb: 'create', status: 503, count: 2 });
    const slow = f.add({ verb: 'create', latencyMs: 5 });
    const other = f.add({ verb: 'delete', status: 500 });
    for (let i = 0; i < 3; i++)
      expect(f.evaluate(req('create', 'pods', 'a')).latencyMs).toBe(5);
    f.evaluate(req('get', 'pods', 'a'));
    expect(failing.hits).toBe(2);
    expect(failing.matched).toBe(3);
    expect(slow.hits).toBe(0);
    expect(slow.matched).toBe(3);
    expect(other.hits).toBe(0);
    expect(other.matched).toBe(0);
    expect(f.hits()).toBe(2);
    // the handle is still the remover existing callers call; it keeps its counts after removal
    failing();
    f.evaluate(req('create', 'pods', 'a'));
    expect(failing.matched).toBe(3);
    expect(slow.matched).toBe(4);
    f.clear();
    f.evaluate(req('delete', 'pods', 'a'));
    expect(other.matched).toBe(0);
    expect(f.hits()).toBe(2);
  });
});

describe('Faults (through the server)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      tokens: {
        [ENGINE_TOKEN]: { username: 'engine', groups: ['system:masters'] },
      },
    });
  });
  afterAll(() => t.stop());

  it('faults only the requests of the user a rule is scoped to', async () => {
    const fault = t.server.faults.add({
      verb: 'list',
      resource: 'secrets',
      user: 'engine',
      status: 503,
    });
    const asEngine = { Authorization: `Bearer ${ENGINE_TOKEN}` };
    try {
      const path = '/api/v1/namespaces/default/secrets';
      expect((await t.request('GET', path)).status).toBe(200);
      expect((await t.request('GET', path, undefined, asEngine)).status).toBe(
        503,
      );
      expect((await t.request('GET', path)).status).toBe(200);
      // the user name the rule matches is the authenticator's, through the client library too
      await expect(
        t
          .kubeConfig(ENGINE_TOKEN)
          .makeApiClient(CoreV1Api)
          .listNamespacedSecret({ namespace: 'default' }),
      ).rejects.toMatchObject({ code: 503 });
      expect(fault.hits).toBe(2);
      expect(fault.matched).toBe(2);
    } finally {
      fault.remove();
    }
  });

  it('injects 429 with Retry-After, then recovers', async () => {
    const fault = t.server.faults.add({
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
    expect(fault.hits).toBe(2);
    expect(fault.matched).toBe(3);
    fault();
  });

  it('adds latency to matching requests', async () => {
    const slow = t.server.faults.add({
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
    expect(slow.matched).toBe(1);
    expect(slow.hits).toBe(0);
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
