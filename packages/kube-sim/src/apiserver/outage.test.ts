/** An API server outage as a client meets it: refused or reset connections, broken watches, state kept. */
import { CoreV1Api, Watch } from '@kubernetes/client-node';
import { startTestServer, type TestServer } from './testutil';

describe('API server outage', () => {
  let t: TestServer;
  let core: CoreV1Api;

  beforeAll(async () => {
    t = await startTestServer();
    core = t.kubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'o' } } });
  });

  afterAll(async () => {
    await t?.stop();
  });

  const failureCode = (p: Promise<unknown>) =>
    p.then(
      () => 'answered',
      (e: { code?: unknown }) => String(e?.code),
    );

  it('resets every connection while it lasts, breaks open watches, and comes back with its state', async () => {
    const cm = await core.createNamespacedConfigMap({
      namespace: 'o',
      body: { metadata: { name: 'kept' }, data: { a: '1' } },
    });
    let watchEnded: unknown = 'still open';
    await new Watch(t.kubeConfig()).watch(
      '/api/v1/namespaces/o/configmaps',
      { resourceVersion: cm.metadata!.resourceVersion },
      () => undefined,
      err => (watchEnded = err),
    );

    const outage = t.server.faults.outage({ durationMs: 1500 });
    await new Promise<void>(function waitForBreak(resolve) {
      if (watchEnded !== 'still open') resolve();
      else setTimeout(() => waitForBreak(resolve), 10);
    });
    expect(await failureCode(core.readNamespace({ name: 'o' }))).toBe(
      'ECONNRESET',
    );
    expect(await failureCode(core.listNamespacedPod({ namespace: 'o' }))).toBe(
      'ECONNRESET',
    );
    expect(outage.endedAt).toBeUndefined();
    expect(outage.refused).toBeGreaterThanOrEqual(2);

    await outage.over;
    expect(outage.endedAt! - outage.startedAt).toBeGreaterThanOrEqual(1500);
    for (const at of outage.refusedAt) {
      expect(at).toBeGreaterThanOrEqual(outage.startedAt);
      expect(at).toBeLessThanOrEqual(outage.endedAt!);
    }
    // the same objects at the same versions: a client resumes where it was
    const again = await core.readNamespacedConfigMap({
      namespace: 'o',
      name: 'kept',
    });
    expect(again.metadata?.resourceVersion).toBe(cm.metadata?.resourceVersion);
    const events: string[] = [];
    const resumed = await new Watch(t.kubeConfig()).watch(
      '/api/v1/namespaces/o/configmaps',
      { resourceVersion: cm.metadata!.resourceVersion },
      (type, obj) => events.push(`${type} ${obj.metadata.name}`),
      () => undefined,
    );
    await core.createNamespacedConfigMap({
      namespace: 'o',
      body: { metadata: { name: 'after' } },
    });
    await new Promise<void>(function waitForEvent(resolve) {
      if (events.length) resolve();
      else setTimeout(() => waitForEvent(resolve), 10);
    });
    resumed.abort();
    expect(events).toEqual(['ADDED after']);
  });

  it('in closed mode nothing listens: the kernel refuses, and an outage can end early', async () => {
    const outage = t.server.faults.outage({
      durationMs: 60_000,
      mode: 'closed',
    });
    // the listener is gone once a request can no longer connect
    let code = 'answered';
    while (code === 'answered')
      code = await failureCode(core.readNamespace({ name: 'o' }));
    expect(code).toBe('ECONNREFUSED');
    expect(() => t.server.faults.outage({ durationMs: 1 })).toThrow(
      'already on',
    );
    await outage.end();
    expect(outage.refused).toBe(0);
    expect(outage.endedAt! - outage.startedAt).toBeLessThan(60_000);
    expect((await core.readNamespace({ name: 'o' })).metadata?.name).toBe('o');
  });
});
