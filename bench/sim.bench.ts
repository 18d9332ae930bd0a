/**
 * kube-sim's own speed, so that later benchmarks can tell engine overhead from simulator overhead:
 * API calls per second (get, list, create, watch events) as absolute rates and as ratios against
 * `GET /version` of the same server in the same run, and pod start-to-running latency against a plain
 * process spawn on the same machine.
 */
import { spawn } from 'node:child_process';
import {
  CoreV1Api,
  VersionApi,
  Watch,
  type V1Pod,
} from '@kubernetes/client-node';
import { startClusters } from 'kube-sim';
import { median, rate, report, type Figure } from './lib';

const MS = Number(process.env.BENCH_MS ?? 3000);

async function spawnLatency(): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const p = spawn('/bin/sh', ['-c', 'exit 0']);
    p.on('exit', () => resolve());
    p.on('error', reject);
  });
  return performance.now() - t0;
}

async function main() {
  const world = await startClusters([{ name: 'bench' }]);
  try {
    const kc = world.clusters[0].kubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const version = kc.makeApiClient(VersionApi);
    const ns = 'bench';
    await core.createNamespace({ body: { metadata: { name: ns } } });
    for (let i = 0; i < 100; i++) {
      await core.createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name: `cm-${i}` }, data: { i: String(i) } },
      });
    }

    const baseline = await rate(() => version.getCode(), MS);
    const get = await rate(
      () => core.readNamespacedConfigMap({ name: 'cm-1', namespace: ns }),
      MS,
    );
    const list = await rate(
      () => core.listNamespacedConfigMap({ namespace: ns }),
      MS,
    );
    let n = 0;
    const create = await rate(
      () =>
        core.createNamespacedConfigMap({
          namespace: ns,
          body: { metadata: { name: `new-${n++}` }, data: { a: 'b' } },
        }),
      MS,
    );

    // Watch: events delivered per second while a writer creates objects as fast as it can.
    const total = 300;
    let seen = 0;
    let done!: () => void;
    const allSeen = new Promise<void>(r => (done = r));
    const rv = (await core.listNamespacedConfigMap({ namespace: ns, limit: 1 }))
      .metadata?.resourceVersion;
    const req = await new Watch(kc).watch(
      `/api/v1/namespaces/${ns}/configmaps`,
      { resourceVersion: rv, labelSelector: 'watched=yes' },
      () => {
        if (++seen === total) done();
      },
      () => undefined,
    );
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      await core.createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name: `w-${i}`, labels: { watched: 'yes' } } },
      });
    }
    await allSeen;
    const watchRate = total / ((performance.now() - t0) / 1000);
    req.abort();

    // Pod start-to-running: create → status.phase Running, through scheduler and kubelet.
    const podLatencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const name = `p-${i}`;
      const t = performance.now();
      await core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { name },
          spec: {
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'c',
                image: 'busybox',
                command: ['sleep', 'infinity'],
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
          },
        },
      });
      for (;;) {
        const pod: V1Pod = await core.readNamespacedPod({
          name,
          namespace: ns,
        });
        if (pod.status?.phase === 'Running') break;
        await new Promise(r => setTimeout(r, 20));
      }
      podLatencies.push(performance.now() - t);
    }
    const spawns: number[] = [];
    for (let i = 0; i < 20; i++) spawns.push(await spawnLatency());
    const podMs = median(podLatencies);
    const spawnMs = median(spawns);

    const figures: Figure[] = [
      {
        figure: 'version_get_per_s',
        value: baseline,
        unit: 'ops/s',
        note: 'baseline: GET /version',
      },
      { figure: 'get_per_s', value: get, unit: 'ops/s' },
      { figure: 'list_100_per_s', value: list, unit: 'ops/s' },
      { figure: 'create_per_s', value: create, unit: 'ops/s' },
      {
        figure: 'watch_events_per_s',
        value: watchRate,
        unit: 'events/s',
        note: 'writer-bound',
      },
      { figure: 'get_vs_version', value: get / baseline, target: '>=0.5' },
      {
        figure: 'list_100_vs_version',
        value: list / baseline,
        target: '>=0.1',
      },
      {
        figure: 'create_vs_version',
        value: create / baseline,
        target: '>=0.3',
      },
      {
        figure: 'watch_events_vs_create',
        value: watchRate / create,
        target: '>=0.5',
        note: 'events keep up with writes',
      },
      {
        figure: 'pod_start_to_running_ms',
        value: podMs,
        unit: 'ms',
        note: 'median of 5',
      },
      {
        figure: 'pod_start_vs_process_spawn',
        value: podMs / spawnMs,
        note: `spawn median ${spawnMs.toFixed(1)} ms`,
      },
    ];
    report('sim', figures);
  } finally {
    await world.stop();
  }
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
