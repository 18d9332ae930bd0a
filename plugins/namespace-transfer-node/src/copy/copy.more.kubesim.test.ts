/**
 * More of the copy flow on kube-sim: cancel rolls back, a crashed engine resumes from its checkpoint,
 * rclone over the null transport, and the Ingress, LoadBalancer and NodePort exposures across clusters
 * (an Ingress whose class does not exist, or a load balancer on a cluster without one, is refused in
 * preflight).
 */
import {
  AppsV1Api,
  CoreV1Api,
  NetworkingV1Api,
  type KubeConfig,
} from '@kubernetes/client-node';
import net from 'node:net';
import type {
  EndpointKind,
  ProgressSample,
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters, type SimWorld } from 'kube-sim';
import { gatherFacts } from '../gather';
import { planTransfer } from '../plan';
import { transferSelector } from '../naming';
import { pollUntil } from '../kube';
import {
  buildTree,
  chownTree,
  diffTrees,
  scanTree,
  type DiffOptions,
} from '../testing/trees';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  ensureStorageClass,
  volumeDir,
  refusedPlan,
  transferLeftovers,
} from '../testing/kubesim';
import { planAndCopy, runCopy, type CopyEvent, type CopyOptions } from '.';

jest.setTimeout(300_000);

const APP_UID = 1001;

describe('copy flow on kube-sim: cancel, resume, rclone, other exposures', () => {
  let world: SimWorld;
  let east: KubeConfig;
  let west: KubeConfig;
  /** bare metal: no load balancer implementation, LoadBalancer Services stay pending */
  let bare: KubeConfig;
  let srcDir: string;

  beforeAll(async () => {
    world = await startClusters([
      { name: 'east' },
      { name: 'west' },
      { name: 'bare', loadBalancer: false },
    ]);
    east = world.cluster('east').kubeConfig();
    west = world.cluster('west').kubeConfig();
    bare = world.cluster('bare').kubeConfig();
    for (const kc of [east, west, bare]) await ensureStorageClass(kc, 'fast');
    for (const ns of ['bm', 'edge']) await ensureNamespace(bare, ns);
    for (const ns of ['app', 'clone1', 'clone2', 'clone3', 'clone4'])
      await ensureNamespace(east, ns);
    for (const ns of ['lb', 'np', 'ing']) await ensureNamespace(west, ns);
    srcDir = await createBoundPvc(east, 'app', 'vol', 'fast');
    buildTree(srcDir, { smallFiles: 300, sparseBytes: 32 * 1024 * 1024 });
    chownTree(srcDir, APP_UID, APP_UID);
    await createWorkload(east, 'app', 'web', 'vol', APP_UID, 1);
  });

  afterAll(async () => {
    await world?.stop();
  });

  const spec = (
    id: string,
    destination: TransferSpec['destination'],
    options: TransferSpec['options'] = {},
  ): TransferSpec => ({
    id,
    source: { cluster: 'east', namespace: 'app', name: 'vol' },
    destination,
    mode: 'copy',
    intent: 'clone',
    options,
  });

  async function prepare(s: TransferSpec) {
    const destination = s.destination.cluster === 'east' ? east : west;
    const facts = await gatherFacts({
      spec: s,
      source: east,
      destination,
      ingressConfigured: s.options?.endpoint === 'ingress',
    });
    const plan = planTransfer(facts);
    expect(plan.refusals).toEqual([]);
    const base: CopyOptions = {
      spec: s,
      plan,
      source: east,
      destination,
      sourcePodSpecs: facts.sourceWorkloads.flatMap(w =>
        w.podSpec ? [w.podSpec] : [],
      ),
    };
    return { plan, base, destination };
  }

  const equalToSource = async (
    kc: KubeConfig,
    ns: string,
    name: string,
    opts: DiffOptions = {},
  ) => {
    const a = scanTree(srcDir);
    const b = scanTree(await volumeDir(kc, ns, name));
    for (const m of [a, b])
      for (const k of [...m.keys()])
        if (k.startsWith('lost+found')) m.delete(k);
    return diffTrees(a, b, opts);
  };

  const leftovers = (kc: KubeConfig, namespace: string, id: string) =>
    transferLeftovers(kc, namespace, id, { pvcs: true });

  const replicas = async () =>
    (
      await east
        .makeApiClient(AppsV1Api)
        .readNamespacedDeployment({ name: 'web', namespace: 'app' })
    ).spec!.replicas;

  it('cancel during the final sync rolls back: nothing left, destination PVC gone, workloads restored', async () => {
    const s = spec(
      'cancel-1',
      { cluster: 'east', namespace: 'clone1', name: 'vol' },
      { stage: false },
    );
    const { base } = await prepare(s);
    const ac = new AbortController();
    const phases: string[] = [];
    const run = runCopy({
      ...base,
      signal: ac.signal,
      onEvent: (e: CopyEvent) => {
        if (e.type !== 'phase') return;
        phases.push(e.phase);
        if (e.phase === 'Syncing')
          setTimeout(() => ac.abort(new Error('cancelled by the test')), 300);
      },
    });
    await expect(run).rejects.toThrow('cancelled by the test');
    expect(phases.slice(-2)).toEqual(['RollingBack', 'Cancelled']);
    expect(await replicas()).toBe(1);
    await pollUntil(
      async () =>
        (await leftovers(east, 'clone1', s.id)).length === 0 ? true : undefined,
      {
        timeoutMs: 60_000,
        what: 'the cancelled transfer to leave nothing behind',
      },
    );
    expect(await leftovers(east, 'app', s.id)).toEqual([]);
    const pvc = await east
      .makeApiClient(CoreV1Api)
      .readNamespacedPersistentVolumeClaim({ name: 'vol', namespace: 'app' });
    expect(
      pvc.metadata!.annotations?.['namespace-transfer.io/transferred-to'],
    ).toBeUndefined();
  });

  it('a cancel that arrives between steps stops at the next step and rolls back', async () => {
    const s = spec(
      'cancel-2',
      { cluster: 'east', namespace: 'clone1', name: 'vol-2' },
      { stage: false },
    );
    const { base } = await prepare(s);
    const ac = new AbortController();
    const phases: string[] = [];
    const run = runCopy({
      ...base,
      signal: ac.signal,
      onEvent: (e: CopyEvent) => {
        if (e.type === 'phase') phases.push(e.phase);
      },
      // nothing in flight watches the signal here: only the step boundary can notice it
      onCheckpoint: cp => {
        if (cp.completedSteps.includes('expose'))
          ac.abort(new Error('cancelled between steps'));
      },
    });
    await expect(run).rejects.toThrow('cancelled between steps');
    expect(phases).not.toContain('Syncing');
    expect(phases.slice(-2)).toEqual(['RollingBack', 'Cancelled']);
    await pollUntil(
      async () =>
        (await leftovers(east, 'clone1', s.id)).length === 0 ? true : undefined,
      {
        timeoutMs: 60_000,
        what: 'the cancelled transfer to leave nothing behind',
      },
    );
  });

  it('a crashed engine resumes from its checkpoint without redoing finished steps or duplicating objects', async () => {
    const s = spec('resume-1', {
      cluster: 'east',
      namespace: 'clone2',
      name: 'vol',
    });
    const { base } = await prepare(s);
    let saved: TransferCheckpoint | undefined;
    // the first process "dies" right after the server pod is up (skipCleanup: a dead process rolls nothing back)
    await expect(
      runCopy({
        ...base,
        skipCleanup: true,
        onCheckpoint: c => {
          saved = c;
          if (c.completedSteps.includes('server'))
            throw new Error('engine crashed');
        },
      }),
    ).rejects.toThrow('engine crashed');
    expect(saved!.completedSteps).toEqual([
      'provision-destination',
      'expose',
      'credentials',
      'server',
    ]);
    const serverBefore = await east
      .makeApiClient(CoreV1Api)
      .readNamespacedPod({ name: 'nst-resume-1-server', namespace: 'clone2' });

    const steps: string[] = [];
    let serverDuring: Promise<string | undefined> | undefined;
    const result = await runCopy({
      ...base,
      checkpoint: saved,
      onEvent: e => {
        if (e.type !== 'step') return;
        steps.push(e.step);
        if (e.step === 'sync-stage-1') {
          serverDuring = east
            .makeApiClient(CoreV1Api)
            .readNamespacedPod({
              name: 'nst-resume-1-server',
              namespace: 'clone2',
            })
            .then(p => p.metadata!.uid);
        }
      },
    });
    expect(steps).toEqual([
      'sync-stage-1',
      'quiesce',
      'sync-final',
      'verify',
      'downtime',
      'finalize',
      'cleanup',
    ]);
    expect(result.checkpoint.phase).toBe('Succeeded');
    expect(await equalToSource(east, 'clone2', 'vol')).toEqual([]);
    // the server pod made before the crash was reused, not replaced
    expect(await serverDuring).toBe(serverBefore.metadata!.uid);
    expect(await leftovers(east, 'clone2', s.id)).toEqual(['vol']);
    expect(await replicas()).toBe(1);
  });

  it('stage while the app runs (repeatable), then cut over with a small delta and measured downtime', async () => {
    const s = spec('stage-1', {
      cluster: 'east',
      namespace: 'clone4',
      name: 'vol',
    });
    const { base } = await prepare(s);
    const first = await runCopy({ ...base, until: 'staged' });
    expect(first.checkpoint.phase).toBe('Staging');
    expect(first.syncs.map(r => r.run)).toEqual(['stage-1']);
    expect(await replicas()).toBe(1); // the application kept running
    // the application changes a file and removes one between the stages
    require('node:fs').writeFileSync(
      `${srcDir}/small/d7/f7.txt`,
      'changed while staged',
    );
    require('node:fs').rmSync(`${srcDir}/small/d8/f8.txt`);
    chownTree(srcDir, APP_UID, APP_UID);
    const second = await runCopy({
      ...base,
      until: 'staged',
      checkpoint: first.checkpoint,
    });
    expect(second.syncs.map(r => [r.run, r.result.filesTransferred])).toEqual([
      ['stage-2', 1],
    ]);
    const cutover = await runCopy({ ...base, checkpoint: second.checkpoint });
    expect(cutover.syncs.map(r => r.run)).toEqual(['final', 'verify']);
    expect(cutover.syncs[0].result.filesTransferred).toBe(0);
    expect(cutover.downtimeMs).toBeGreaterThan(0);
    expect(cutover.checkpoint.completedSteps).toEqual([
      'provision-destination',
      'expose',
      'credentials',
      'server',
      'sync-stage-1',
      'sync-stage-2',
      'quiesce',
      'sync-final',
      'verify',
      'downtime',
      'finalize',
      'cleanup',
    ]);
    expect(await equalToSource(east, 'clone4', 'vol')).toEqual([]);
    expect(await replicas()).toBe(1); // a clone gives the application back
  });

  it('rclone with its own TLS over the null transport', async () => {
    const s = spec(
      'rclone-1',
      { cluster: 'east', namespace: 'clone3', name: 'vol' },
      { mover: 'rclone', stage: false },
    );
    const { plan, base } = await prepare(s);
    expect(plan).toMatchObject({
      mover: 'rclone',
      transport: 'null',
      endpoint: 'clusterip',
    });
    const result = await runCopy(base);
    expect(result.syncs.map(r => [r.run, r.result.ok])).toEqual([
      ['final', true],
      ['verify', true],
    ]);
    // WebDAV carries content, types and link targets only (the plan warns about the rest)
    expect(
      await equalToSource(east, 'clone3', 'vol', {
        modes: false,
        times: false,
        links: false,
        sparse: false,
      }),
    ).toEqual([]);
  });

  it('completes although its client pod is killed mid-copy and the API server fails requests', async () => {
    await ensureNamespace(east, 'big');
    await ensureNamespace(east, 'bigdst');
    const dir = await createBoundPvc(east, 'big', 'vol', 'fast', '2Gi');
    // big enough that the sync after the kill lasts several of the mover's one-second progress lines on an
    // idle machine too: 400 MB went through in about a second there, before any sample with a rate
    require('node:child_process').execFileSync('sh', [
      '-c',
      `head -c 1000000000 /dev/urandom > '${dir}/blob' && mkdir -p '${dir}/d' && for i in $(seq 1 200); do echo $i > '${dir}/d/f'$i; done && chown -R ${APP_UID}:${APP_UID} '${dir}'`,
    ]);
    const s: TransferSpec = {
      ...spec(
        'kill-1',
        { cluster: 'east', namespace: 'bigdst', name: 'vol' },
        { stage: false },
      ),
      source: { cluster: 'east', namespace: 'big', name: 'vol' },
    };
    const { base } = await prepare(s);
    const sim = world.cluster('east');
    // the engine runs as a user of its own, and only its requests fail: kube-sim's controllers and
    // kubelet talk to the same API server and must not be the ones that absorb the faults
    const engine = sim.userKubeConfig({
      username: 'namespace-transfer-engine',
      groups: ['system:masters'],
    });
    const user = 'namespace-transfer-engine';
    const removeFaults = [
      sim.apiServer.faults.add({
        user,
        verb: 'get',
        errorRate: 0.2,
        status: 503,
        count: 15,
      }),
      sim.apiServer.faults.add({
        user,
        verb: 'create',
        errorRate: 0.3,
        status: 500,
        count: 4,
      }),
      sim.apiServer.faults.add({
        user,
        verb: 'list',
        errorRate: 0.2,
        status: 429,
        count: 4,
      }),
    ];
    let killed = false;
    const warnings: string[] = [];
    const samples: ProgressSample[] = [];
    try {
      const result = await runCopy({
        ...base,
        source: engine,
        destination: engine,
        onEvent: e => {
          if (e.type === 'warning') warnings.push(e.message);
          if (e.type === 'progress') samples.push(e.sample);
          if (e.type === 'phase' && e.phase === 'Syncing') {
            // kill the mover once it has started copying (its first progress line is in the log)
            const core = east.makeApiClient(CoreV1Api);
            const poll = async (): Promise<void> => {
              const log = await core
                .readNamespacedPodLog({
                  name: 'nst-kill-1-client-final',
                  namespace: 'big',
                  container: 'rsync',
                })
                .catch(() => '');
              if (/\d+%/.test(String(log))) {
                killed = true;
                await sim.kubelet.killPod('big', 'nst-kill-1-client-final', {
                  container: 'rsync',
                });
                return;
              }
              await new Promise(r => setTimeout(r, 100));
              await poll();
            };
            void poll();
          }
        },
      });
      expect(killed).toBe(true);
      expect(warnings.some(w => /client pod was killed/.test(w))).toBe(true);
      expect(result.checkpoint.phase).toBe('Succeeded');
      // a sync of several seconds reports real bytes and a rate while it runs, and ends with its totals
      expect(
        samples.filter(
          x => x.bytesDone > 0 && (x.rate ?? 0) > 0 && (x.percent ?? 0) < 100,
        ).length,
      ).toBeGreaterThan(0);
      expect(samples.at(-1)).toMatchObject({ percent: 100 });
      // every kind of fault was met by the engine's own requests, and retried through
      expect(removeFaults.map(f => f.hits > 0)).toEqual([true, true, true]);
    } finally {
      removeFaults.forEach(r => r());
    }
    const b = scanTree(await volumeDir(east, 'bigdst', 'vol'));
    const a = scanTree(dir);
    for (const m of [a, b])
      for (const k of [...m.keys()])
        if (k.startsWith('lost+found')) m.delete(k);
    expect(diffTrees(a, b)).toEqual([]);
  });

  it('refuses an Ingress of a class the destination does not have in preflight, creating nothing', async () => {
    const s = spec(
      'ingress-missing',
      { cluster: 'west', namespace: 'ing', name: 'refused' },
      { endpoint: 'ingress', ingressClassName: 'missing', stage: false },
    );
    const run = planAndCopy({
      spec: s,
      source: east,
      destination: west,
      ingressConfigured: true,
      ingressDomain: 'ingress.west.kube-sim.test',
      timeouts: { endpointMs: 60_000 },
    });
    const plan = await refusedPlan(run);
    expect(plan.refusals).toEqual([
      {
        code: 'NoEndpoint',
        message: expect.stringMatching(
          /^ingress requested, but cluster west has no IngressClass "missing" \(its classes are [^)]*nginx/,
        ),
      },
    ]);
    const labelSelector = transferSelector(s.id);
    for (const [kc, ns] of [
      [east, 'app'],
      [west, 'ing'],
    ] as const) {
      expect(await leftovers(kc, ns, s.id)).toEqual([]);
      const ingresses = await kc
        .makeApiClient(NetworkingV1Api)
        .listNamespacedIngress({ namespace: ns, labelSelector });
      expect(ingresses.items).toEqual([]);
    }
    await expect(
      west.makeApiClient(CoreV1Api).readNamespacedPersistentVolumeClaim({
        name: 'refused',
        namespace: 'ing',
      }),
    ).rejects.toMatchObject({ code: 404 });
    expect(await replicas()).toBe(1); // nothing was quiesced either
  });

  it('across clusters over an Ingress with TLS passthrough (SNI routes to the server)', async () => {
    const s = spec(
      'ingress-1',
      { cluster: 'west', namespace: 'ing', name: 'vol' },
      { endpoint: 'ingress', stage: false, verify: 'none' },
    );
    const { plan, base, destination } = await prepare(s);
    expect(plan.endpoint).toBe('ingress');
    const result = await runCopy({
      ...base,
      ingressDomain: 'ingress.west.kube-sim.test',
      timeouts: { endpointMs: 60_000 },
    });
    expect(result.syncs.map(r => r.result.ok)).toEqual([true]);
    expect(await equalToSource(destination, 'ing', 'vol')).toEqual([]);
  });

  it.each<[EndpointKind, string]>([
    ['loadbalancer', 'lb'],
    ['nodeport', 'np'],
  ])('across clusters over a %s', async (endpoint, ns) => {
    const s = spec(
      `${endpoint}-1`,
      { cluster: 'west', namespace: ns, name: 'vol' },
      { endpoint, stage: false },
    );
    const { plan, base, destination } = await prepare(s);
    expect(plan.endpoint).toBe(endpoint);
    const result = await runCopy({ ...base, timeouts: { endpointMs: 60_000 } });
    expect(result.syncs.map(r => r.result.ok)).toEqual([true, true]);
    expect(await equalToSource(destination, ns, 'vol')).toEqual([]);
    expect(await leftovers(destination, ns, s.id)).toEqual(['vol']);
  });

  /** whether something listens on host:port (a listener without endpoints accepts, then resets) */
  const listening = (host: string, port: number) =>
    new Promise<boolean>(resolve => {
      const socket = net.connect({ host, port });
      socket.on('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', (e: NodeJS.ErrnoException) =>
        resolve(e.code !== 'ECONNREFUSED'),
      );
    });

  it('refuses a load balancer on a cluster whose LoadBalancer Services stay pending, creating nothing; auto takes node ports', async () => {
    // someone's Service, waiting for an address a bare-metal cluster never gives
    const core = bare.makeApiClient(CoreV1Api);
    const pending = await core.createNamespacedService({
      namespace: 'edge',
      body: {
        metadata: { name: 'pending' },
        spec: {
          type: 'LoadBalancer',
          selector: { app: 'edge' },
          ports: [{ port: 443, targetPort: 8443 }],
        },
      },
    });
    // its node port is served, so the network has seen it: no address is still coming
    const sim = world.cluster('bare');
    const nodePort = pending.spec!.ports![0].nodePort!;
    await pollUntil(
      async () =>
        (await listening(sim.address.nodeIP, nodePort)) ? true : undefined,
      { timeoutMs: 30_000, what: 'the pending Service to get its node port' },
    );
    expect(
      (await core.readNamespacedService({ name: 'pending', namespace: 'edge' }))
        .status?.loadBalancer?.ingress,
    ).toBeUndefined();

    const s = spec(
      'lb-missing',
      { cluster: 'bare', namespace: 'bm', name: 'refused' },
      { endpoint: 'loadbalancer', stage: false },
    );
    const run = planAndCopy({
      spec: s,
      source: east,
      destination: bare,
      loadBalancerGraceMs: 0,
      timeouts: { endpointMs: 60_000 },
    });
    const plan = await refusedPlan(run);
    expect(plan.refusals).toEqual([
      {
        code: 'NoEndpoint',
        message: expect.stringMatching(
          /^loadbalancer requested, but cluster bare has no load balancer \(Service edge\/pending has waited for a load balancer address since \d{4}-\d\d-\d\dT[\d:.]+Z\)$/,
        ),
      },
    ]);
    for (const [kc, ns] of [
      [east, 'app'],
      [bare, 'bm'],
    ] as const)
      expect(await leftovers(kc, ns, s.id)).toEqual([]);
    await expect(
      core.readNamespacedPersistentVolumeClaim({
        name: 'refused',
        namespace: 'bm',
      }),
    ).rejects.toMatchObject({ code: 404 });
    expect(await replicas()).toBe(1); // nothing was quiesced either

    const auto = planTransfer(
      await gatherFacts({
        spec: { ...s, id: 'lb-auto', options: { stage: false } },
        source: east,
        destination: bare,
        loadBalancerGraceMs: 0,
      }),
    );
    expect(auto.refusals).toEqual([]);
    expect(auto.endpoint).toBe('nodeport');
    expect(auto.endpointReason).toContain(
      'loadbalancer skipped: cluster bare has no load balancer (Service edge/pending has waited',
    );
  });
});
