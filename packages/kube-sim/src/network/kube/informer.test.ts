import { CoreV1Api, V1IngressClass, V1Service } from '@kubernetes/client-node';
import type { ApiServer } from '../../contracts';
import {
  MASTER,
  startTestApiServer,
  type TestApiServer,
} from '../../testing/apiServer';
import { waitFor } from '../../testing/waitFor';
import { R } from '../../controllers/kube/resources';
import { RestClient } from '../../controllers/kube/rest';
import { startInformer } from './informer';

jest.setTimeout(60_000);

const until = (what: string, check: () => boolean, ms = 10_000) =>
  waitFor(what, check, ms, 20);

describe('startInformer against a real API server', () => {
  let server: TestApiServer;
  let api: ApiServer;
  let core: CoreV1Api;
  let rest: RestClient;
  let informer: ReturnType<typeof startInformer<V1Service>>;
  let changes = 0;
  const errors: unknown[] = [];

  beforeAll(async () => {
    // a watch history of two events makes a resumed watch fall out of the window easily
    server = await startTestApiServer({
      name: 'informer',
      rbac: false,
      tokens: { t: MASTER },
      internal: { watchHistory: 2 },
    });
    api = server.api;
    const kc = server.kubeConfig('t');
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'ns' } } });
    rest = new RestClient(kc);
    informer = startInformer<V1Service>({
      kubeConfig: kc,
      rest,
      resource: R.services,
      onChange: () => changes++,
      onError: err => errors.push(err),
    });
    await informer.ready;
  });

  afterAll(async () => {
    await informer?.stop();
    rest?.close();
    await server?.stop();
  });

  const create = (name: string) =>
    core.createNamespacedService({
      namespace: 'ns',
      body: { metadata: { name }, spec: { ports: [{ port: 80 }] } },
    });

  it('lists, then follows additions, updates and deletions through the watch', async () => {
    expect(informer.stats.lists).toBe(1);
    await create('a');
    await until('a added', () => informer.get('ns', 'a') !== undefined);
    await core.patchNamespacedService({
      namespace: 'ns',
      name: 'a',
      body: [{ op: 'add', path: '/metadata/labels', value: { x: 'y' } }],
    });
    await until(
      'a updated',
      () => informer.get('ns', 'a')?.metadata?.labels?.x === 'y',
    );
    await core.deleteNamespacedService({ namespace: 'ns', name: 'a' });
    await until('a deleted', () => informer.get('ns', 'a') === undefined);
    expect(informer.stats.lists).toBe(1);
    expect(changes).toBeGreaterThanOrEqual(4);
  });

  it('resumes a dropped watch from its resourceVersion without a new list', async () => {
    api.faults.dropWatches();
    await create('b');
    await until('b added', () => informer.get('ns', 'b') !== undefined);
    expect(informer.stats.lists).toBe(1);
  });

  it('lists again when the resourceVersion it resumes from is gone (410)', async () => {
    // the re-watch after the drop is held back until more changes than the history keeps have happened
    const slow = api.faults.add({
      verb: 'watch',
      resource: 'services',
      latencyMs: 1500,
    });
    api.faults.dropWatches();
    for (const name of ['c1', 'c2', 'c3', 'c4']) await create(name);
    await until(
      'all seen after the re-list',
      () => ['c1', 'c2', 'c3', 'c4'].every(n => informer.get('ns', n)),
      15_000,
    );
    slow();
    expect(slow.matched).toBeGreaterThanOrEqual(1);
    expect(informer.stats.lists).toBe(2);
    expect(
      informer
        .items()
        .filter(s => s.metadata?.namespace === 'ns')
        .map(s => s.metadata?.name)
        .sort(),
    ).toEqual(['b', 'c1', 'c2', 'c3', 'c4']);
    // a 410 is answered by the re-list, not reported
    expect(errors).toEqual([]);
  });

  it('reports a failed list and becomes ready once a retry succeeds', async () => {
    const failures: unknown[] = [];
    const fault = api.faults.add({
      verb: 'list',
      resource: 'ingressclasses',
      status: 503,
      count: 1,
    });
    const classes = startInformer<V1IngressClass>({
      kubeConfig: server.kubeConfig('t'),
      rest,
      resource: {
        group: 'networking.k8s.io',
        version: 'v1',
        plural: 'ingressclasses',
        kind: 'IngressClass',
        namespaced: false,
      },
      onChange: () => undefined,
      onError: err => failures.push(err),
    });
    try {
      await classes.ready;
      expect(classes.stats.lists).toBe(2);
      expect(failures).toHaveLength(1);
      expect(String(failures[0])).toMatch(/503/);
      expect(fault.hits).toBe(1);
    } finally {
      fault();
      await classes.stop();
    }
  });
});
