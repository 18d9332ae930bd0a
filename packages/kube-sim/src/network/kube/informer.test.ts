import { CoreV1Api, V1Service } from '@kubernetes/client-node';
import { startApiServer } from '../../apiserver';
import type { ApiServer } from '../../contracts';
import { kubeConfigFor } from '../../kubeconfig';
import { createCertificateAuthority } from '../../pki';
import { allocateAddressPlan } from '../address/allocate';
import { Informer, startInformer } from './informer';

jest.setTimeout(60_000);

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} did not happen in ${ms} ms`);
    await new Promise(r => setTimeout(r, 20));
  }
}

describe('startInformer against a real API server', () => {
  let plan: Awaited<ReturnType<typeof allocateAddressPlan>>;
  let api: ApiServer;
  let core: CoreV1Api;
  let informer: Informer<V1Service>;
  let lists = 0;
  let changes = 0;
  const errors: unknown[] = [];

  beforeAll(async () => {
    plan = await allocateAddressPlan();
    const ca = await createCertificateAuthority('informer-test');
    // a watch history of two events makes a resumed watch fall out of the window easily
    api = await startApiServer(
      {
        clusterName: 'informer',
        address: plan,
        port: 0,
        ca,
        serving: await ca.issue({ commonName: 'kube-apiserver', ips: [plan.nodeIP], usage: 'server' }),
        kubeletClient: await ca.issue({ commonName: 'kubelet-client', usage: 'client' }),
        openshift: false,
        routeDomain: 'apps.informer.test',
        rbac: false,
        tokens: { t: { username: 'admin', groups: ['system:masters', 'system:authenticated'] } },
      },
      { watchHistory: 2 },
    );
    const kc = kubeConfigFor({ name: 'informer', server: api.url, caPem: ca.certPem, token: 't' });
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'ns' } } });
    informer = startInformer<V1Service>({
      kubeConfig: kc,
      path: '/api/v1/namespaces/ns/services',
      list: async () => {
        lists++;
        const l = await core.listNamespacedService({ namespace: 'ns' });
        return { items: l.items, resourceVersion: l.metadata?.resourceVersion ?? '' };
      },
      onChange: () => changes++,
      onError: err => errors.push(err),
    });
    await informer.ready;
  });

  afterAll(async () => {
    informer?.stop();
    await api?.stop();
    plan?.release();
  });

  const create = (name: string) =>
    core.createNamespacedService({ namespace: 'ns', body: { metadata: { name }, spec: { ports: [{ port: 80 }] } } });

  it('lists, then follows additions, updates and deletions through the watch', async () => {
    expect(lists).toBe(1);
    await create('a');
    await until('a added', () => informer.get('ns', 'a') !== undefined);
    await core.patchNamespacedService(
      { namespace: 'ns', name: 'a', body: [{ op: 'add', path: '/metadata/labels', value: { x: 'y' } }] },
    );
    await until('a updated', () => informer.get('ns', 'a')?.metadata?.labels?.x === 'y');
    await core.deleteNamespacedService({ namespace: 'ns', name: 'a' });
    await until('a deleted', () => informer.get('ns', 'a') === undefined);
    expect(lists).toBe(1);
    expect(changes).toBeGreaterThanOrEqual(4);
  });

  it('resumes a dropped watch from its resourceVersion without a new list', async () => {
    api.faults.dropWatches();
    await create('b');
    await until('b added', () => informer.get('ns', 'b') !== undefined);
    expect(lists).toBe(1);
  });

  it('lists again when the resourceVersion it resumes from is gone (410)', async () => {
    // the re-watch after the drop is held back until more changes than the history keeps have happened
    const slow = api.faults.add({ verb: 'watch', resource: 'services', latencyMs: 1500 });
    api.faults.dropWatches();
    for (const name of ['c1', 'c2', 'c3', 'c4']) await create(name);
    await until('all seen after the re-list', () => ['c1', 'c2', 'c3', 'c4'].every(n => informer.get('ns', n)), 15_000);
    slow();
    expect(lists).toBe(2);
    expect(informer.items().map(s => s.metadata?.name).sort()).toEqual(['b', 'c1', 'c2', 'c3', 'c4']);
    expect(errors).toEqual([]);
  });
});
