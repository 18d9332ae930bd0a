/** The core through @kubernetes/client-node: authentication, discovery, CRUD, conflicts, selectors, watch. */
import { AppsV1Api, CoreV1Api, Watch } from '@kubernetes/client-node';
import { startTestServer, type TestServer } from './testutil';

describe('API server core via @kubernetes/client-node', () => {
  let t: TestServer;
  let core: CoreV1Api;

  beforeAll(async () => {
    t = await startTestServer(
      {},
      { watchHistory: 20, bookmarkIntervalMs: 200 },
    );
    core = t.kubeConfig().makeApiClient(CoreV1Api);
  });
  afterAll(() => t.stop());

  it('rejects unknown and missing tokens with a 401 Status', async () => {
    const bad = await t.request('GET', '/api/v1/namespaces', undefined, {
      Authorization: 'Bearer nope',
    });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
      code: 401,
    });
    const none = await t.request('GET', '/version', undefined, {
      Authorization: '',
    });
    expect(none.status).toBe(401);
    await expect(
      t.kubeConfig('wrong').makeApiClient(CoreV1Api).listNamespace(),
    ).rejects.toMatchObject({ code: 401 });
  });

  it('serves discovery', async () => {
    expect((await t.request('GET', '/version')).body.major).toBe('1');
    expect((await t.request('GET', '/api')).body.versions).toEqual(['v1']);
    const groups = (await t.request('GET', '/apis')).body;
    expect(groups.groups.map((g: any) => g.name)).toEqual(
      expect.arrayContaining([
        'apps',
        'batch',
        'storage.k8s.io',
        'rbac.authorization.k8s.io',
      ]),
    );
    const v1 = (await t.request('GET', '/api/v1')).body;
    const pods = v1.resources.find((r: any) => r.name === 'pods');
    expect(pods).toMatchObject({
      namespaced: true,
      kind: 'Pod',
      shortNames: ['po'],
    });
    expect(pods.verbs).toEqual(
      expect.arrayContaining([
        'create',
        'get',
        'list',
        'watch',
        'patch',
        'delete',
      ]),
    );
    expect(v1.resources.map((r: any) => r.name)).toEqual(
      expect.arrayContaining([
        'pods/status',
        'pods/log',
        'pods/binding',
        'persistentvolumeclaims',
      ]),
    );
    const apps = (await t.request('GET', '/apis/apps/v1')).body;
    expect(
      apps.resources.find((r: any) => r.name === 'deployments/scale'),
    ).toMatchObject({ kind: 'Scale', group: 'autoscaling', version: 'v1' });
    expect((await t.request('GET', '/apis/nope.example.com/v1')).status).toBe(
      404,
    );
    expect((await t.request('GET', '/api/v1/nopes')).body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      code: 404,
    });
  });

  it('starts with the system namespaces and default service accounts', async () => {
    const ns = await core.listNamespace();
    expect(ns.items.map(n => n.metadata!.name)).toEqual(
      expect.arrayContaining([
        'default',
        'kube-system',
        'kube-public',
        'kube-node-lease',
      ]),
    );
    expect(
      ns.items.find(n => n.metadata!.name === 'default')!.status!.phase,
    ).toBe('Active');
    await core.readNamespacedServiceAccount({
      name: 'default',
      namespace: 'kube-system',
    });
    const svc = await core.readNamespacedService({
      name: 'kubernetes',
      namespace: 'default',
    });
    expect(svc.spec!.clusterIP).toBe(t.address.serviceRange.first);
  });

  it('creates, reads, updates and deletes with resourceVersion, uid and conflicts', async () => {
    await core.createNamespace({ body: { metadata: { name: 'crud' } } });
    const cm = await core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { name: 'one' }, data: { a: '1' } },
    });
    expect(cm.metadata!.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(cm.metadata!.creationTimestamp).toBeDefined();
    const rv1 = Number(cm.metadata!.resourceVersion);
    await expect(
      core.createNamespacedConfigMap({
        namespace: 'crud',
        body: { metadata: { name: 'one' } },
      }),
    ).rejects.toMatchObject({ code: 409 });
    const dup = await t.request('POST', '/api/v1/namespaces/crud/configmaps', {
      metadata: { name: 'one' },
    });
    expect(dup.body).toMatchObject({
      reason: 'AlreadyExists',
      message: 'configmaps "one" already exists',
      details: { name: 'one', kind: 'configmaps' },
    });

    cm.data = { a: '2' };
    const updated = await core.replaceNamespacedConfigMap({
      name: 'one',
      namespace: 'crud',
      body: cm,
    });
    expect(Number(updated.metadata!.resourceVersion)).toBeGreaterThan(rv1);
    // the stale copy now conflicts
    const stale = await t.request(
      'PUT',
      '/api/v1/namespaces/crud/configmaps/one',
      cm,
    );
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toContain('the object has been modified');
    // a no-op update keeps the resourceVersion
    const same = await core.replaceNamespacedConfigMap({
      name: 'one',
      namespace: 'crud',
      body: updated,
    });
    expect(same.metadata!.resourceVersion).toBe(
      updated.metadata!.resourceVersion,
    );

    const gen = await core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { generateName: 'gen-' } },
    });
    expect(gen.metadata!.name).toMatch(/^gen-[a-z0-9]{5}$/);

    await core.deleteNamespacedConfigMap({ name: 'one', namespace: 'crud' });
    await expect(
      core.readNamespacedConfigMap({ name: 'one', namespace: 'crud' }),
    ).rejects.toMatchObject({ code: 404 });
    const missing = await t.request(
      'GET',
      '/api/v1/namespaces/crud/configmaps/one',
    );
    expect(missing.body).toMatchObject({
      reason: 'NotFound',
      message: 'configmaps "one" not found',
    });
  });

  it('refuses bad input without touching the store', async () => {
    const before = await t.request(
      'GET',
      '/api/v1/namespaces/default/configmaps',
    );
    expect(
      (
        await t.request(
          'POST',
          '/api/v1/namespaces/default/configmaps',
          '{not json',
        )
      ).status,
    ).toBe(400);
    const wrongKind = await t.request(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } },
    );
    expect(wrongKind.status).toBe(400);
    const badName = await t.request(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      { metadata: { name: 'Bad_Name' } },
    );
    expect(badName.status).toBe(422);
    expect(badName.body.details.causes[0]).toMatchObject({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
    });
    const mismatch = await t.request(
      'PUT',
      '/api/v1/namespaces/default/configmaps/a',
      { metadata: { name: 'b' } },
    );
    expect(mismatch.status).toBe(400);
    const noNs = await t.request(
      'POST',
      '/api/v1/namespaces/absent/configmaps',
      { metadata: { name: 'x' } },
    );
    expect(noNs.body).toMatchObject({
      code: 404,
      message: 'namespaces "absent" not found',
    });
    const after = await t.request(
      'GET',
      '/api/v1/namespaces/default/configmaps',
    );
    expect(after.body.items).toEqual(before.body.items);
    expect(after.body.metadata.resourceVersion).toBe(
      before.body.metadata.resourceVersion,
    );
  });

  it('lists with label and field selectors and pages with limit/continue', async () => {
    await core.createNamespace({ body: { metadata: { name: 'sel' } } });
    for (const [name, tier] of [
      ['a', 'web'],
      ['b', 'db'],
      ['c', 'web'],
    ])
      await core.createNamespacedConfigMap({
        namespace: 'sel',
        body: { metadata: { name, labels: { tier } } },
      });
    const web = await core.listNamespacedConfigMap({
      namespace: 'sel',
      labelSelector: 'tier=web',
    });
    expect(web.items.map(i => i.metadata!.name)).toEqual(['a', 'c']);
    const notWeb = await core.listNamespacedConfigMap({
      namespace: 'sel',
      labelSelector: 'tier notin (web)',
    });
    expect(notWeb.items.map(i => i.metadata!.name)).toEqual(['b']);
    const byName = await core.listNamespacedConfigMap({
      namespace: 'sel',
      fieldSelector: 'metadata.name=b',
    });
    expect(byName.items.map(i => i.metadata!.name)).toEqual(['b']);
    const page1 = await core.listNamespacedConfigMap({
      namespace: 'sel',
      limit: 2,
    });
    expect(page1.items).toHaveLength(2);
    expect(page1.metadata!._continue).toBeTruthy();
    const page2 = await core.listNamespacedConfigMap({
      namespace: 'sel',
      limit: 2,
      _continue: page1.metadata!._continue,
    });
    expect(page2.items.map(i => i.metadata!.name)).toEqual(['c']);
    const bad = await t.request(
      'GET',
      '/api/v1/namespaces/sel/configmaps?fieldSelector=data.a%3D1',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('field label not supported: data.a');
    const podsOnNode = await t.request(
      'GET',
      '/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1,status.phase%3DRunning',
    );
    expect(podsOnNode.status).toBe(200);
  });

  it('watches from a resourceVersion, with bookmarks, and answers 410 when it is too old', async () => {
    await core.createNamespace({ body: { metadata: { name: 'w' } } });
    const first = await core.createNamespacedConfigMap({
      namespace: 'w',
      body: { metadata: { name: 'first' } },
    });
    const events: { type: string; name?: string; rv?: string }[] = [];
    const watch = new Watch(t.kubeConfig());
    const req = await watch.watch(
      '/api/v1/namespaces/w/configmaps',
      {
        resourceVersion: first.metadata!.resourceVersion,
        allowWatchBookmarks: true,
      },
      (type, obj) =>
        events.push({
          type,
          name: obj?.metadata?.name,
          rv: obj?.metadata?.resourceVersion,
        }),
      () => undefined,
    );
    await core.createNamespacedConfigMap({
      namespace: 'w',
      body: { metadata: { name: 'second' } },
    });
    await core.deleteNamespacedConfigMap({ name: 'first', namespace: 'w' });
    await new Promise(r => setTimeout(r, 500));
    req.abort();
    const changes = events.filter(e => e.type !== 'BOOKMARK');
    expect(changes.map(e => `${e.type}:${e.name}`)).toEqual([
      'ADDED:second',
      'DELETED:first',
    ]);
    expect(events.some(e => e.type === 'BOOKMARK')).toBe(true);

    // push the history window past the first resourceVersion
    for (let i = 0; i < 25; i++)
      await core.createNamespacedConfigMap({
        namespace: 'w',
        body: { metadata: { name: `fill-${i}` } },
      });
    const errors: any[] = [];
    await new Promise<void>(resolve => {
      void watch.watch(
        '/api/v1/namespaces/w/configmaps',
        { resourceVersion: first.metadata!.resourceVersion },
        (type, obj) => type === 'ERROR' && errors.push(obj),
        () => resolve(),
      );
    });
    expect(errors[0]).toMatchObject({
      kind: 'Status',
      code: 410,
      reason: 'Expired',
    });
  });

  it('reports selector transitions in watches as ADDED/DELETED', async () => {
    await core.createNamespace({ body: { metadata: { name: 'trans' } } });
    const seen: string[] = [];
    const req = await new Watch(t.kubeConfig()).watch(
      '/api/v1/namespaces/trans/configmaps',
      { labelSelector: 'app=x' },
      (type, obj) => seen.push(`${type}:${obj.metadata.name}`),
      () => undefined,
    );
    await core.createNamespacedConfigMap({
      namespace: 'trans',
      body: { metadata: { name: 'm', labels: { app: 'y' } } },
    });
    await t.request(
      'PATCH',
      '/api/v1/namespaces/trans/configmaps/m',
      { metadata: { labels: { app: 'x' } } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    await t.request(
      'PATCH',
      '/api/v1/namespaces/trans/configmaps/m',
      { data: { a: '1' } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    await t.request(
      'PATCH',
      '/api/v1/namespaces/trans/configmaps/m',
      { metadata: { labels: { app: 'z' } } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    await new Promise(r => setTimeout(r, 200));
    req.abort();
    expect(seen).toEqual(['ADDED:m', 'MODIFIED:m', 'DELETED:m']);
  });

  it('creates nothing on a dry run', async () => {
    const res = await t.request(
      'POST',
      '/api/v1/namespaces/default/configmaps?dryRun=All',
      { metadata: { name: 'dry' } },
    );
    expect(res.status).toBe(201);
    expect(res.body.metadata.uid).toBeDefined();
    expect(
      (await t.request('GET', '/api/v1/namespaces/default/configmaps/dry'))
        .status,
    ).toBe(404);
  });

  it('answers 504 Timeout for a resourceVersion the server has not reached', async () => {
    const list = await t.request(
      'GET',
      '/api/v1/namespaces/default/configmaps',
    );
    const ahead = Number(list.body.metadata.resourceVersion) + 1000;
    for (const q of [
      `resourceVersion=${ahead}`,
      `watch=1&resourceVersion=${ahead}`,
    ]) {
      const res = await t.request(
        'GET',
        `/api/v1/namespaces/default/configmaps?${q}`,
      );
      expect(res.status).toBe(504);
      expect(res.body.details.causes[0].reason).toBe('ResourceVersionTooLarge');
    }
  });

  it('works for apps/v1 with defaults and generation', async () => {
    const apps = t.kubeConfig().makeApiClient(AppsV1Api);
    const dep = await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'c', image: 'busybox' }] },
          },
        },
      },
    });
    expect(dep.metadata!.generation).toBe(1);
    expect(dep.spec!.replicas).toBe(1);
    expect(dep.spec!.strategy!.type).toBe('RollingUpdate');
    expect(dep.spec!.template.spec!.containers[0].imagePullPolicy).toBe(
      'Always',
    );
    dep.spec!.replicas = 3;
    const up = await apps.replaceNamespacedDeployment({
      name: 'web',
      namespace: 'default',
      body: dep,
    });
    expect(up.metadata!.generation).toBe(2);
  });
});
