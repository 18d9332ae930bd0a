/**
 * waitForPods against a bare kube-sim API server: no scheduler, kubelet or controllers, so pods only change
 * when the test changes them (status through the status subresource, as a kubelet would), and every event
 * the watcher sees is one the test caused.
 */
import {
  CoreV1Api,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import {
  MASTER,
  startTestApiServer,
  type TestApiServer,
} from 'kube-sim/src/testing/apiServer';
import { pollUntil, WaitTimeoutError } from './poll';
import { waitForPods, type WatchPodsOptions } from './watchPods';

jest.setTimeout(60_000);

const OPTS: WatchPodsOptions = { timeoutMs: 20_000, what: 'the test pods' };

const names = (pods: V1Pod[]) => pods.map(p => p.metadata!.name!).sort();
const phaseOf = (pods: V1Pod[], name: string) =>
  pods.find(p => p.metadata?.name === name)?.status?.phase;

/** Wraps a check to record what each call saw (pod names, sorted), so a test can wait for the watcher. */
function recording<T>(check: (pods: V1Pod[]) => T | undefined) {
  const seen: string[][] = [];
  return {
    seen,
    check: (pods: V1Pod[]) => {
      seen.push(names(pods));
      return check(pods);
    },
    /** resolves once some call saw pods for which `cond` holds */
    until: (what: string, cond: (seenNames: string[]) => boolean) =>
      pollUntil(async () => (seen.some(cond) ? true : undefined), {
        timeoutMs: 10_000,
        intervalMs: 10,
        what,
      }),
  };
}

async function startServer(watchHistory?: number) {
  const server = await startTestApiServer({
    name: 'watchpods',
    tokens: { admin: MASTER },
    internal: watchHistory ? { watchHistory } : undefined,
  });
  return { server, kc: server.kubeConfig('admin') };
}

function podClient(kc: KubeConfig, namespace: string) {
  const core = kc.makeApiClient(CoreV1Api);
  return {
    async create(name: string, labels: Record<string, string> = {}) {
      await core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name, labels },
          spec: { containers: [{ name: 'c', image: 'x' }] },
        },
      });
    },
    /** what a kubelet would report: the status subresource, not the pod itself */
    async setPhase(name: string, phase: string) {
      const pod = await core.readNamespacedPod({ name, namespace });
      pod.status = { ...pod.status, phase };
      await core.replaceNamespacedPodStatus({ name, namespace, body: pod });
    },
    async relabel(name: string, labels: Record<string, string>) {
      const pod = await core.readNamespacedPod({ name, namespace });
      pod.metadata!.labels = labels;
      await core.replaceNamespacedPod({ name, namespace, body: pod });
    },
    async delete(name: string) {
      await core.deleteNamespacedPod({ name, namespace });
    },
  };
}

describe('waitForPods on a kube-sim API server', () => {
  let server: TestApiServer;
  let kc: KubeConfig;
  let n = 0;
  /** a fresh namespace per test, so no test sees another's pods */
  const namespace = async () => {
    const ns = `wp-${++n}`;
    await kc
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: ns } } });
    return { ns, pods: podClient(kc, ns) };
  };

  beforeAll(async () => {
    ({ server, kc } = await startServer());
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(() => server.api.faults.clear());

  it('returns at once when the listed pods already satisfy the check', async () => {
    const { ns, pods } = await namespace();
    await pods.create('done');
    await pods.setPhase('done', 'Succeeded');
    const r = recording(p =>
      phaseOf(p, 'done') === 'Succeeded' ? p[0] : undefined,
    );
    const pod = await waitForPods(kc, ns, r.check, OPTS);
    expect(pod.metadata!.name).toBe('done');
    expect(r.seen).toEqual([['done']]);
  });

  it('sees a status change made after it started, through the watch', async () => {
    const { ns, pods } = await namespace();
    await pods.create('mover');
    const r = recording(p =>
      phaseOf(p, 'mover') === 'Succeeded'
        ? p.find(x => x.metadata!.name === 'mover')
        : undefined,
    );
    const waiting = waitForPods(kc, ns, r.check, OPTS);
    await r.until('the first list', () => true);
    await pods.setPhase('mover', 'Succeeded');
    const pod = await waiting;
    expect(pod.metadata!.name).toBe('mover');
    expect(pod.status!.phase).toBe('Succeeded');
    // the list, then the one MODIFIED event: no relist was needed to see it
    expect(r.seen).toHaveLength(2);
  });

  it('keeps pods outside the field selector out of the check', async () => {
    const { ns, pods } = await namespace();
    await pods.create('a');
    await pods.create('b');
    // b would satisfy the check from the first list if the selector were not applied
    await pods.setPhase('b', 'Succeeded');
    const r = recording(p => p.find(x => x.status?.phase === 'Succeeded'));
    const waiting = waitForPods(kc, ns, r.check, {
      ...OPTS,
      fieldSelector: 'metadata.name=a',
    });
    await r.until('the first list', () => true);
    await pods.setPhase('b', 'Failed'); // a watch event for b, if the watch did not filter
    await pods.setPhase('a', 'Succeeded');
    const pod = await waiting;
    expect(pod.metadata!.name).toBe('a');
    expect(new Set(r.seen.flat())).toEqual(new Set(['a']));
  });

  it('keeps pods outside the label selector out, and drops a pod that leaves it', async () => {
    const { ns, pods } = await namespace();
    await pods.create('app', { role: 'app' });
    await pods.create('other', { role: 'other' });
    const r = recording(p => (p.length === 0 ? 'none' : undefined));
    const waiting = waitForPods(kc, ns, r.check, {
      ...OPTS,
      labelSelector: 'role=app',
    });
    await r.until('the first list', () => true);
    // the server reports a pod whose labels no longer match as DELETED
    await pods.relabel('app', { role: 'gone' });
    await expect(waiting).resolves.toBe('none');
    expect(r.seen).toEqual([['app'], []]);
  });

  it('survives dropped watches: lists again and watches on', async () => {
    const { ns, pods } = await namespace();
    await pods.create('mover');
    const r = recording(p =>
      phaseOf(p, 'mover') === 'Succeeded' ? 'finished' : undefined,
    );
    const waiting = waitForPods(kc, ns, r.check, OPTS);
    await r.until('the first list', () => true);
    // a pod the watcher sees proves its watch is open before it is dropped
    await pods.create('probe1');
    await r.until('probe1', s => s.includes('probe1'));
    server.api.faults.dropWatches();
    // seen only by a relist or by a new watch, never by the dropped one
    await pods.create('probe2');
    await r.until('probe2', s => s.includes('probe2'));
    await pods.setPhase('mover', 'Succeeded');
    await expect(waiting).resolves.toBe('finished');
  });

  it('fails loudly when the watch is forbidden, instead of listing again and again', async () => {
    const { ns, pods } = await namespace();
    await pods.create('mover');
    const refused = server.api.faults.add({
      verb: 'watch',
      resource: 'pods',
      status: 403,
    });
    const lists = server.api.faults.add({ verb: 'list', resource: 'pods' });
    await expect(waitForPods(kc, ns, () => undefined, OPTS)).rejects.toThrow(
      `forbidden: cannot watch pods in namespace ${ns} (waiting for ${OPTS.what}): the engine's role needs "watch" on pods there`,
    );
    expect(refused.hits).toBe(1);
    // one list, one refused watch: no polling behind it
    expect(lists.matched).toBe(1);
  });

  it('sees a pod deletion: the DELETED pod leaves what the check sees', async () => {
    const { ns, pods } = await namespace();
    await pods.create('app');
    await pods.create('keep');
    const r = recording(p =>
      p.some(x => x.metadata!.name === 'app') ? undefined : names(p),
    );
    const waiting = waitForPods(kc, ns, r.check, OPTS);
    await r.until('the first list', () => true);
    await pods.delete('app'); // never scheduled, so it goes at once
    await expect(waiting).resolves.toEqual(['keep']);
    expect(r.seen).toEqual([['app', 'keep'], ['keep']]);
  });

  it('times out with a WaitTimeoutError that names what never happened', async () => {
    const { ns, pods } = await namespace();
    await pods.create('stuck');
    const waiting = waitForPods(kc, ns, () => undefined, {
      timeoutMs: 500,
      what: 'pod stuck to finish',
    });
    await expect(waiting).rejects.toBeInstanceOf(WaitTimeoutError);
    await expect(waiting).rejects.toThrow(/waiting for pod stuck to finish/);
  });

  it('rejects with what the check throws, on the list and on a watch event', async () => {
    const { ns, pods } = await namespace();
    await pods.create('p');
    const boom = new Error('pod failed');
    await expect(
      waitForPods(
        kc,
        ns,
        () => {
          throw boom;
        },
        OPTS,
      ),
    ).rejects.toBe(boom);

    const r = recording(p => {
      if (phaseOf(p, 'p') === 'Failed') throw boom;
      return undefined;
    });
    const waiting = waitForPods(kc, ns, r.check, OPTS);
    await r.until('the first list', () => true);
    await pods.setPhase('p', 'Failed');
    await expect(waiting).rejects.toBe(boom);
  });

  it('rejects with the signal reason when aborted while watching, or before', async () => {
    const { ns, pods } = await namespace();
    await pods.create('p');
    const reason = new Error('cancelled by the user');
    const ac = new AbortController();
    const r = recording(() => undefined);
    const waiting = waitForPods(kc, ns, r.check, {
      ...OPTS,
      signal: ac.signal,
    });
    await r.until('the first list', () => true);
    ac.abort(reason);
    await expect(waiting).rejects.toBe(reason);

    const check = jest.fn(() => 'x');
    await expect(
      waitForPods(kc, ns, check, {
        ...OPTS,
        signal: AbortSignal.abort(reason),
      }),
    ).rejects.toBe(reason);
    expect(check).not.toHaveBeenCalled();
  });

  it('rejects with the signal reason when aborted while it lists', async () => {
    const { ns, pods } = await namespace();
    await pods.create('p');
    const slow = server.api.faults.add({
      verb: 'list',
      resource: 'pods',
      namespace: ns,
      latencyMs: 1000,
    });
    const reason = new Error('cancelled by the user');
    const ac = new AbortController();
    const r = recording(() => undefined);
    const waiting = waitForPods(kc, ns, r.check, {
      ...OPTS,
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(reason), 200);
    await expect(waiting).rejects.toBe(reason);
    expect(r.seen).toEqual([['p']]); // the abort came before the list answered
    expect(slow.matched).toBe(1);
  });
});

describe('waitForPods when the watch history no longer reaches its list', () => {
  let server: TestApiServer;
  let kc: KubeConfig;
  beforeAll(async () => {
    // a history of 2 pod events: a few changes between list and watch expire the list's resourceVersion
    ({ server, kc } = await startServer(2));
    await kc
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: 'expiry' } } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('lists again on 410 Expired and sees the change', async () => {
    const pods = podClient(kc, 'expiry');
    await pods.create('mover');
    // the watch is answered only after the changes below, from a version they pushed out of the history
    const slow = server.api.faults.add({
      verb: 'watch',
      resource: 'pods',
      latencyMs: 2000,
    });
    const r = recording(p =>
      phaseOf(p, 'mover') === 'Succeeded' ? 'finished' : undefined,
    );
    const waiting = waitForPods(kc, 'expiry', r.check, OPTS);
    await r.until('the first list', () => true);
    await pods.create('x1');
    await pods.create('x2');
    await pods.create('x3');
    await pods.setPhase('mover', 'Succeeded');
    await expect(waiting).resolves.toBe('finished');
    // two lists and no watch event: the change was seen by listing again, not by a replay
    expect(r.seen).toEqual([['mover'], ['mover', 'x1', 'x2', 'x3']]);
    expect(slow.matched).toBe(1);
  });
});
