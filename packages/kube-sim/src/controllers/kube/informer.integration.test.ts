import { MASTER } from '../../testing/apiServer';
import { R } from '../kube/resources';
import type { Namespace, Pod, ReplicaSet } from '../kube/types';
import {
  registerNode,
  startHarness,
  waitFor,
  type ControllerHarness,
} from '../testing/harness';
import { Informer } from './informer';
import type { KubeObject } from './types';

jest.setTimeout(120_000);

/** the controllers' user in the harness; the test's own calls are MASTER's */
const CONTROLLERS = 'system:kube-controller-manager';

let h: ControllerHarness;
const CM = {
  group: '',
  version: 'v1',
  plural: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
};

beforeAll(async () => {
  h = await startHarness('inf');
  await registerNode(h.rest, h.nodeName);
  await h.rest.create<Namespace>(R.namespaces, undefined, {
    metadata: { name: 'inf' },
  });
});
afterAll(async () => h?.stop());

describe('Informer against a real API server', () => {
  it('resumes after dropped watches and re-lists after 410 Gone, ending with the true state', async () => {
    const inf = new Informer<KubeObject>(h.kc, h.rest, CM, {
      namespace: 'inf',
    });
    const seen = { add: 0, del: 0 };
    inf.addHandlers({ add: () => seen.add++, delete: () => seen.del++ });
    await inf.start();
    await h.rest.create(CM, 'inf', { metadata: { name: 'before' } });
    await waitFor('before seen', () => inf.getByName('inf', 'before'));

    h.api.faults.dropWatches();
    await h.rest.create(CM, 'inf', { metadata: { name: 'after-drop' } });
    await waitFor('after-drop seen', () => inf.getByName('inf', 'after-drop'));
    // A dropped watch resumes from the last resourceVersion: no new list.
    expect(inf.stats.lists).toBe(1);
    expect(inf.stats.watches).toBeGreaterThanOrEqual(2);

    // Hold the next watch back while more than the server's history window of changes happens,
    // so resuming from the last resourceVersion must fail with 410 and the informer must re-list.
    const slow = h.api.faults.add({
      user: MASTER.username, // the informer's, not the controllers'
      verb: 'watch',
      resource: 'configmaps',
      latencyMs: 4000,
    });
    h.api.faults.dropWatches();
    await h.rest.delete(CM, 'inf', 'before');
    const { rest } = h;
    for (let i = 0; i < 1050; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          rest.create(CM, 'inf', { metadata: { name: `bulk-${i + j}` } }),
        ),
      );
    }
    slow();
    await waitFor(
      're-listed',
      () => inf.list('inf').length === 1051 && !inf.getByName('inf', 'before'),
      30_000,
    );
    expect(seen.del).toBeGreaterThanOrEqual(1);
    expect(inf.stats.lists).toBe(2);
    expect(slow.matched).toBeGreaterThanOrEqual(1);
    await h.rest.create(CM, 'inf', { metadata: { name: 'live-again' } });
    await waitFor('watching again', () => inf.getByName('inf', 'live-again'));
    await inf.stop();
  });

  it('controllers converge while writes fail at random and watches drop', async () => {
    // the controllers' writes fail, not the test's own; with seed 7 each rule fails the first two
    // requests it matches (1100011100...), so both fire however few writes the controllers need
    const podFaults = h.api.faults.add({
      user: CONTROLLERS,
      verb: 'create',
      resource: 'pods',
      errorRate: 0.5,
      seed: 7,
      status: 500,
      count: 6,
    });
    const statusFaults = h.api.faults.add({
      user: CONTROLLERS,
      verb: 'update',
      resource: 'replicasets/status',
      errorRate: 0.5,
      seed: 7,
      status: 503,
      count: 4,
    });
    await h.rest.create<ReplicaSet>(R.replicasets, 'inf', {
      metadata: { name: 'flaky' },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'flaky' } },
        template: {
          metadata: { labels: { app: 'flaky' } },
          spec: { containers: [{ name: 'c', image: 'x' }] },
        },
      },
    });
    setTimeout(() => h.api.faults.dropWatches(), 200);
    await waitFor(
      '4 pods and status',
      async () => {
        const pods = (
          await h.rest.list<Pod>(R.pods, 'inf', { labelSelector: 'app=flaky' })
        ).items;
        const rs = await h.rest.get<ReplicaSet>(R.replicasets, 'inf', 'flaky');
        return pods.length === 4 && rs.status?.replicas === 4;
      },
      60_000,
    );
    // Never more than asked for, even with retries and lost watches.
    await new Promise(r => setTimeout(r, 500));
    expect(
      (await h.rest.list<Pod>(R.pods, 'inf', { labelSelector: 'app=flaky' }))
        .items,
    ).toHaveLength(4);
    podFaults();
    statusFaults();
    expect(podFaults.hits).toBeGreaterThan(0);
    expect(statusFaults.hits).toBeGreaterThan(0);
  });
});
