/**
 * followLog on kube-sim: real pods whose containers run on this host, their logs served by the kubelet and
 * proxied by the API server, so "live", "not started yet" and "the stream ended" are what a cluster does.
 * Streams are cut by a TCP relay between the client and the API server (kube-sim has no fault that cuts a
 * log stream; a relay dropping its sockets is what a load balancer or a network break does).
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  CoreV1Api,
  KubeConfig,
  type V1ContainerState,
} from '@kubernetes/client-node';
import { startClusters, type SimWorld } from 'kube-sim';
import { ensureNamespace, restrictedPod } from '../testing/kubesim';
import { followLog } from './followLog';
import { pollUntil } from './poll';

jest.setTimeout(120_000);

const NS = 'fl';

const podBody = (name: string, script: string) =>
  restrictedPod(name, ['/bin/sh', '-c', script]);

/** Records every onText call with when it came. */
function recorder() {
  const calls: { text: string; at: number }[] = [];
  return {
    calls,
    onText: (text: string) => calls.push({ text, at: Date.now() }),
    text: () => calls.map(c => c.text).join(''),
  };
}

/** A TCP relay to the API server whose connections the test can cut. */
async function startRelay(target: URL) {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer(client => {
    connections += 1;
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  // the same address as the API server, so its serving certificate (an IP SAN) still matches
  await new Promise<void>(ok => server.listen(0, target.hostname, ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${target.hostname}:${port}`,
    connections: () => connections,
    cut: () => {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>(ok => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

describe('followLog on kube-sim', () => {
  let world: SimWorld;
  let kc: KubeConfig;
  let core: CoreV1Api;
  beforeAll(async () => {
    world = await startClusters([{ name: 'followlog' }]);
    kc = world.cluster('followlog').kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    // restricted, as the namespaces the engine's mover pods run in may be
    await ensureNamespace(kc, NS, {
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });
  afterAll(async () => {
    await world?.stop();
  });

  const containerState = async (
    name: string,
  ): Promise<V1ContainerState | undefined> => {
    const pod = await core.readNamespacedPod({ name, namespace: NS });
    return pod.status?.containerStatuses?.[0]?.state;
  };
  const waitEnded = (name: string) =>
    pollUntil(
      async () => {
        const pod = await core.readNamespacedPod({ name, namespace: NS });
        const phase = pod.status?.phase;
        return phase === 'Succeeded' || phase === 'Failed' ? phase : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: `pod ${name} to end` },
    );
  const waitText = (what: string, cond: () => boolean, timeoutMs = 30_000) =>
    pollUntil(async () => (cond() ? true : undefined), {
      timeoutMs,
      intervalMs: 50,
      what,
    });
  const plainLog = (name: string) =>
    core.readNamespacedPodLog({ name, namespace: NS, container: 'c' });

  it('hands on text live, while the container runs, and all of it exactly once', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: podBody('live', 'echo first; sleep 2; echo second'),
    });
    await pollUntil(
      async () => ((await containerState('live'))?.running ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 100, what: 'pod live to run' },
    );
    const r = recorder();
    let stateAtFirst: Promise<V1ContainerState | undefined> | undefined;
    const ac = new AbortController();
    const f = followLog(
      kc,
      { namespace: NS, pod: 'live', container: 'c', signal: ac.signal },
      text => {
        r.onText(text);
        if (!stateAtFirst && r.text().includes('first'))
          stateAtFirst = containerState('live');
      },
    );
    await waitText('"first"', () => r.text().includes('first'));
    expect((await stateAtFirst)?.running).toBeDefined();
    await waitEnded('live');
    await waitText('"second"', () => r.text().includes('second'));
    const firstAt = r.calls.find(c => c.text.includes('first'))!.at;
    const secondAt = r.calls.find(c => c.text.includes('second'))!.at;
    expect(secondAt - firstAt).toBeGreaterThan(1500);

    // the follow stream ended with the container; the ones opened after it must add nothing
    await new Promise(ok => setTimeout(ok, 2500));
    const full = await plainLog('live');
    expect(full).toBe('first\nsecond\n');
    expect(r.text()).toBe(full);
    expect(f.delivered()).toBe(full.length);
    ac.abort();
    await f.done;
  });

  it('may start before the container does', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: podBody('early', 'sleep 1; echo one; echo two'),
    });
    const r = recorder();
    const ac = new AbortController();
    const f = followLog(
      kc,
      {
        namespace: NS,
        pod: 'early',
        container: 'c',
        signal: ac.signal,
        retryMs: 100,
      },
      r.onText,
    );
    // read after the first attempt went out: the container had not started when that attempt was made
    expect((await containerState('early'))?.running).toBeUndefined();
    await waitEnded('early');
    await waitText('the whole log', () => r.text() === 'one\ntwo\n');
    await new Promise(ok => setTimeout(ok, 500));
    expect(r.text()).toBe(await plainLog('early'));
    expect(f.delivered()).toBe('one\ntwo\n'.length);
    ac.abort();
    await f.done;
  });

  it('opens a stream that broke again and skips what it already handed on', async () => {
    const relay = await startRelay(new URL(kc.getCurrentCluster()!.server));
    try {
      const cut = new KubeConfig();
      cut.loadFromOptions({
        clusters: kc.clusters.map(c => ({ ...c, server: relay.url })),
        users: kc.users,
        contexts: kc.contexts,
        currentContext: kc.currentContext,
      });
      await core.createNamespacedPod({
        namespace: NS,
        body: podBody(
          'cut',
          'i=0; while [ $i -lt 40 ]; do i=$((i+1)); echo line-$i; sleep 0.1; done',
        ),
      });
      const r = recorder();
      const ac = new AbortController();
      const f = followLog(
        cut,
        {
          namespace: NS,
          pod: 'cut',
          container: 'c',
          signal: ac.signal,
          retryMs: 100,
        },
        r.onText,
      );
      await waitText('line-5', () => r.text().includes('line-5\n'));
      const before = relay.connections();
      relay.cut();
      await waitText(
        'a new stream',
        () => relay.connections() > before,
        10_000,
      );
      await waitText('line-15', () => r.text().includes('line-15\n'));
      relay.cut();
      // both cuts must have happened while the container was still printing
      expect((await containerState('cut'))?.running).toBeDefined();
      await waitEnded('cut');
      await waitText('line-40', () => r.text().includes('line-40\n'));
      await new Promise(ok => setTimeout(ok, 500));
      const expected = Array.from({ length: 40 }, (_, i) => `line-${i + 1}\n`);
      expect(r.text()).toBe(expected.join(''));
      expect(r.text()).toBe(await plainLog('cut'));
      expect(f.delivered()).toBe(expected.join('').length);
      ac.abort();
      await f.done;
    } finally {
      await relay.close();
    }
  });

  it('stops soon after the signal aborts, and hands on nothing after it', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: podBody('ticks', 'while true; do echo tick; sleep 0.1; done'),
    });
    const r = recorder();
    const ac = new AbortController();
    const f = followLog(
      kc,
      {
        namespace: NS,
        pod: 'ticks',
        container: 'c',
        signal: ac.signal,
        retryMs: 100,
      },
      r.onText,
    );
    await waitText('a few ticks', () => r.text().split('tick').length > 5);
    ac.abort();
    const abortedAt = Date.now();
    const callsAtAbort = r.calls.length;
    await f.done;
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    // the container still prints: anything a stream left open would deliver shows up here
    await new Promise(ok => setTimeout(ok, 1000));
    expect(r.calls.length).toBe(callsAtAbort);
    expect((await containerState('ticks'))?.running).toBeDefined();
  });
});
