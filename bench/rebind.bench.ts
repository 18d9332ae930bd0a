/**
 * Rebind must not grow with the volume: time to hand over volumes of 1 MiB, 1 GiB and 10 GiB (sparse files
 * made with truncate by a pod in the volume), as ratios to the 1 MiB one and to a copy-mode transfer of the
 * 1 GiB volume by the engine's copy flow (rsync over stunnel, same cluster) measured in the same run.
 *
 * Rebind downtime with a PV controller that binds as the real one (claim syncs dropped on a stale copy wait
 * for its 15 s periodic sync) as a ratio to kube-sim's former instant binder, rounds interleaved.
 * `--downtime-only` measures just that.
 */
import {
  CoreV1Api,
  StorageV1Api,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters } from 'kube-sim';
import { planAndCopy } from '../plugins/namespace-transfer-node/src/copy/planAndCopy';
import { pollUntil } from '../plugins/namespace-transfer-node/src/kube';
import { runRebind } from '../plugins/namespace-transfer-node/src/rebind';
import { median, report, type Figure } from './lib';

const DOWNTIME_ONLY = process.argv.includes('--downtime-only');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SIZES = [
  ['1MiB', '1Mi', 2 ** 20],
  ['1GiB', '1Gi', 2 ** 30],
  ['10GiB', '10Gi', 10 * 2 ** 30],
] as const;

async function claimWithSparseFile(
  kc: KubeConfig,
  ns: string,
  name: string,
  size: string,
  bytes: number,
) {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespacedPersistentVolumeClaim({
    namespace: ns,
    body: {
      metadata: { name },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'movable',
        resources: { requests: { storage: size } },
      },
    },
  });
  const pod = `fill-${name}`;
  await core.createNamespacedPod({
    namespace: ns,
    body: {
      metadata: { name: pod },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'fill',
            image: 'busybox',
            command: [
              'sh',
              '-c',
              `truncate -s ${bytes} /data/sparse && echo data > /data/hello`,
            ],
            volumeMounts: [{ name: 'd', mountPath: '/data' }],
          },
        ],
        volumes: [{ name: 'd', persistentVolumeClaim: { claimName: name } }],
      },
    },
  });
  const phase = await pollUntil(
    async () => {
      const p = await core.readNamespacedPod({ namespace: ns, name: pod });
      return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed'
        ? p.status.phase
        : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 200, what: `pod ${pod}` },
  );
  if (phase !== 'Succeeded')
    throw new Error(
      `${pod}: ${await core.readNamespacedPodLog({ namespace: ns, name: pod })}`,
    );
  // a finished pod still holds the claim (pvc-protection): it must go before the claim can move
  await core.deleteNamespacedPod({
    namespace: ns,
    name: pod,
    gracePeriodSeconds: 0,
  });
  await pollUntil(
    async () =>
      (await core.listNamespacedPod({ namespace: ns })).items.some(
        p => p.metadata?.name === pod,
      )
        ? undefined
        : true,
    {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: `pod ${pod} to go`,
    },
  );
}

const spec = (
  id: string,
  mode: 'rebind' | 'copy',
  from: string,
  to: string,
  name: string,
): TransferSpec => ({
  id,
  source: { cluster: 'bench', namespace: from, name },
  destination: { cluster: 'bench', namespace: to, name },
  mode,
  intent: 'move',
  options: { verify: 'none' },
});

/** the downtime the engine measured for one rebind of a fresh 1 MiB claim (no workload) */
async function rebindDowntime(kc: KubeConfig, name: string): Promise<number> {
  await claimWithSparseFile(kc, 'src', name, '1Mi', 2 ** 20);
  const result = await runRebind({
    spec: spec(`rb-${name}`, 'rebind', 'src', 'dst', name),
    kubeConfig: kc,
  });
  return result.downtimeMs;
}

/** realistic and instant binder, one rebind each per round, alternating which goes first */
async function downtimeFigures(
  realistic: KubeConfig,
  instant: KubeConfig,
): Promise<Figure[]> {
  const ms = { realistic: [] as number[], instant: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const order =
      round % 2
        ? (['instant', 'realistic'] as const)
        : (['realistic', 'instant'] as const);
    for (const which of order)
      ms[which].push(
        await rebindDowntime(
          which === 'realistic' ? realistic : instant,
          `dt-${round}`,
        ),
      );
  }
  const rounds = (v: number[]) => v.map(x => Math.round(x)).join(', ');
  return [
    {
      figure: 'rebind_downtime_realistic_binder_vs_instant',
      value: median(ms.realistic) / median(ms.instant),
      target: '<=1.5',
      note: `median of ${ROUNDS}; realistic ms: ${rounds(ms.realistic)}; instant ms: ${rounds(ms.instant)}`,
    },
  ];
}

async function prepareCluster(kc: KubeConfig) {
  const core = kc.makeApiClient(CoreV1Api);
  await kc.makeApiClient(StorageV1Api).createStorageClass({
    body: {
      metadata: {
        name: 'movable',
        annotations: { 'namespace-transfer.io/allow-transfer': 'true' },
      },
      provisioner: 'kube-sim.io/hostpath',
      volumeBindingMode: 'Immediate',
      reclaimPolicy: 'Delete',
    },
  });
  for (const ns of ['src', 'dst'])
    await core.createNamespace({ body: { metadata: { name: ns } } });
}

async function sizeFigures(kc: KubeConfig): Promise<Figure[]> {
  const rebindMs: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, size, bytes] of SIZES) {
      const name = `v-${label.toLowerCase()}-${round}`;
      await claimWithSparseFile(kc, 'src', name, size, bytes);
      const t0 = performance.now();
      await runRebind({
        spec: spec(`rb-${name}`, 'rebind', 'src', 'dst', name),
        kubeConfig: kc,
      });
      (rebindMs[label] ??= []).push(performance.now() - t0);
    }
  }
  const copyMs: number[] = [];
  for (let round = 0; round < Math.min(ROUNDS, 2); round++) {
    const name = `c-1gib-${round}`;
    await claimWithSparseFile(kc, 'src', name, '1Gi', 2 ** 30);
    const t0 = performance.now();
    await planAndCopy({
      spec: spec(`cp-${round}`, 'copy', 'src', 'dst', name),
      source: kc,
      destination: kc,
    });
    copyMs.push(performance.now() - t0);
  }
  const r = (label: string) => median(rebindMs[label]);
  return [
    {
      figure: 'rebind_1MiB',
      value: r('1MiB') / 1000,
      unit: 's',
      note: `median of ${ROUNDS}`,
    },
    {
      figure: 'copy_1GiB',
      value: median(copyMs) / 1000,
      unit: 's',
      note: 'engine copy flow, rsync+stunnel, ClusterIP',
    },
    {
      figure: 'rebind_1GiB_vs_1MiB',
      value: r('1GiB') / r('1MiB'),
      target: '<=1.5',
    },
    {
      figure: 'rebind_10GiB_vs_1MiB',
      value: r('10GiB') / r('1MiB'),
      target: '<=1.5',
    },
    {
      figure: 'rebind_1MiB_vs_copy_1GiB',
      value: r('1MiB') / median(copyMs),
      target: '<=0.2',
    },
    {
      figure: 'rebind_1GiB_vs_copy_1GiB',
      value: r('1GiB') / median(copyMs),
      target: '<=0.2',
    },
    {
      figure: 'rebind_10GiB_vs_copy_1GiB',
      value: r('10GiB') / median(copyMs),
      target: '<=0.2',
    },
  ];
}

async function main() {
  // bench: the PV controller as kube-controller-manager's (15 s periodic sync); instant: kube-sim's former
  const world = await startClusters([
    { name: 'bench' },
    { name: 'instant', pvBinder: { instant: true } },
  ]);
  try {
    const kc = world.cluster('bench').kubeConfig();
    const instant = world.cluster('instant').kubeConfig();
    for (const c of [kc, instant]) await prepareCluster(c);
    const figures = await downtimeFigures(kc, instant);
    if (!DOWNTIME_ONLY) figures.push(...(await sizeFigures(kc)));
    report('rebind', figures);
  } finally {
    await world.stop();
  }
}

main().catch(e => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
