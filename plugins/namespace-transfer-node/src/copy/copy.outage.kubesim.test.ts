/**
 * A copy under way outlives its API server going away (issue 15): kube-sim's outage fault takes the
 * listener and every connection away and brings the same server back. A 60 s outage while the sync runs
 * is waited out (the mover pod finishes meanwhile) and the copy completes; an outage longer than the
 * budget fails the transfer without a rollback, and a resume once the cluster is back completes it; a
 * cancel during an outage rolls back only once the cluster answers again.
 */
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type {
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters, type OutageHandle, type SimWorld } from 'kube-sim';
import { ClusterUnreachableError } from '../clusters';
import { gatherFacts } from '../gather';
import { pollUntil, waitForPods } from '../kube';
import { planTransfer } from '../plan';
import { QUIESCED_BY } from '../quiesce';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  ensureStorageClass,
  transferLeftovers,
  volumeDir,
} from '../testing/kubesim';
import { buildTree, chownTree, diffTrees, scanTree } from '../testing/trees';
import { runCopy, type CopyEvent } from '.';

jest.setTimeout(600_000);

const ENGINE = 'namespace-transfer-engine';
const APP_UID = 1001;

describe('a copy outlives an API server outage (kube-sim)', () => {
  let world: SimWorld;
  let kc: KubeConfig;
  let engine: KubeConfig;
  let core: CoreV1Api;

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    kc = world.cluster('east').kubeConfig();
    engine = world.cluster('east').userKubeConfig({
      username: ENGINE,
      groups: ['system:masters'],
    });
    core = kc.makeApiClient(CoreV1Api);
    await ensureStorageClass(kc, 'fast');
  });

  afterAll(async () => {
    await world?.stop();
  });

  const faults = () => world.cluster('east').apiServer.faults;

  const withoutLostFound = (m: ReturnType<typeof scanTree>) => {
    for (const k of [...m.keys()]) if (k.startsWith('lost+found')) m.delete(k);
    return m;
  };

  /**
   * A claim with a small tree in a namespace of its own and a Deployment of its owner (the client runs as
   * its identity): running, or scaled to 0 (nothing to stage, so the one sync is the final one).
   */
  async function setup(ns: string, replicas: number) {
    await ensureNamespace(kc, ns);
    await ensureNamespace(kc, `${ns}-to`);
    const dir = await createBoundPvc(kc, ns, 'data', 'fast');
    buildTree(dir, {
      smallFiles: 40,
      sparseBytes: 1024 * 1024,
      largeBytes: 4 * 1024 * 1024,
    });
    chownTree(dir, APP_UID, APP_UID);
    await createWorkload(kc, ns, 'web', 'data', APP_UID, replicas);
    if (replicas > 0) {
      await waitForPods(
        kc,
        ns,
        pods =>
          pods.some(p => p.status?.phase === 'Running') ? true : undefined,
        { labelSelector: 'app=web', timeoutMs: 60_000, what: `web in ${ns}` },
      );
    }
    const spec: TransferSpec = {
      id: ns,
      source: { cluster: 'east', namespace: ns, name: 'data' },
      destination: { cluster: 'east', namespace: `${ns}-to`, name: 'data' },
      mode: 'copy',
      intent: 'clone',
      options: { endpoint: 'clusterip' },
    };
    const facts = await gatherFacts({
      spec,
      source: engine,
      destination: engine,
    });
    const plan = planTransfer(facts);
    expect(plan.refusals).toEqual([]);
    return {
      tree: withoutLostFound(scanTree(dir)),
      options: {
        spec,
        plan,
        source: engine,
        destination: engine,
        sourcePodSpecs: facts.sourceWorkloads.flatMap(w =>
          w.podSpec ? [w.podSpec] : [],
        ),
      },
    };
  }

  /** the copy at the destination holds the source's files, and nothing of the transfer but its claim */
  async function expectCopied(ns: string, tree: ReturnType<typeof scanTree>) {
    expect(
      diffTrees(
        tree,
        withoutLostFound(scanTree(await volumeDir(kc, `${ns}-to`, 'data'))),
      ),
    ).toEqual([]);
    const left = async () =>
      JSON.stringify([
        await transferLeftovers(kc, ns, ns, { pvcs: true }),
        await transferLeftovers(kc, `${ns}-to`, ns, { pvcs: true }),
      ]);
    const expected = JSON.stringify([[], ['data']]);
    // deletions finish asynchronously (terminating pods)
    await pollUntil(
      async () => ((await left()) === expected ? true : undefined),
      {
        timeoutMs: 60_000,
        what: `only the destination claim left of ${ns}`,
      },
    ).catch(() => undefined);
    expect(await left()).toBe(expected);
  }

  const stepTimes = (events: Array<CopyEvent & { seenAt: number }>) => ({
    started: (phase: string) =>
      events.find(e => e.type === 'phase' && e.phase === phase)?.seenAt,
    finished: (step: string) =>
      events.find(e => e.type === 'step' && e.step === step)?.seenAt,
  });

  it('waits out a 60 s outage while the sync runs: the mover finishes meanwhile and the copy completes', async () => {
    const ns = 'outage-sync';
    const { tree, options } = await setup(ns, 0);
    const clientPod = `nst-${ns}-client-final`;
    const events: Array<CopyEvent & { seenAt: number }> = [];
    let outage: OutageHandle | undefined;
    // the API server goes away when the kubelet reports the client pod's containers started: from then on
    // the mover runs with nobody to tell
    const trigger = faults().add({
      verb: 'patch',
      resource: 'pods/status',
      namespace: ns,
      name: clientPod,
      when: () => {
        if (!outage)
          setImmediate(() => {
            outage ??= faults().outage({ durationMs: 60_000 });
          });
        return false;
      },
    });
    let moverFinishedAt: number | undefined;
    const result = await runCopy({
      ...options,
      onEvent: e => events.push({ ...e, seenAt: Date.now() }),
      onCheckpoint: async c => {
        if (c.completedSteps.at(-1) !== 'sync-final') return;
        // before the clean-up takes the pod: when its mover (the last container) ended
        const pod = await core.readNamespacedPod({
          namespace: ns,
          name: clientPod,
        });
        const mover = pod.spec!.containers.at(-1)!.name;
        const ended = pod.status?.containerStatuses?.find(s => s.name === mover)
          ?.state?.terminated;
        expect(ended?.exitCode).toBe(0);
        moverFinishedAt = new Date(ended!.finishedAt!).getTime();
      },
    });
    trigger.remove();

    expect(result.checkpoint.phase).toBe('Succeeded');
    expect(outage?.endedAt).toBeDefined();
    const o = outage!;
    expect(o.endedAt! - o.startedAt).toBeGreaterThanOrEqual(60_000);
    // the outage fell inside the final sync, and its connections were refused while it lasted
    const t = stepTimes(events);
    expect(t.started('Syncing')!).toBeLessThan(o.startedAt);
    expect(t.finished('sync-final')!).toBeGreaterThan(o.endedAt!);
    expect(o.refused).toBeGreaterThan(0);
    expect(o.refusedAt.every(at => at >= o.startedAt && at <= o.endedAt!)).toBe(
      true,
    );
    // the mover moved while the API server was away: it ended inside the window
    expect(moverFinishedAt).toBeGreaterThan(o.startedAt);
    expect(moverFinishedAt).toBeLessThan(o.endedAt!);
    // the engine said which cluster it waited for, since when, and when it was back
    const said = events.filter(e => e.type === 'cluster');
    expect(said.map(e => e.type === 'cluster' && e.state)).toEqual([
      'unreachable',
      'reachable',
    ]);
    const unreachable = said[0] as Extract<CopyEvent, { type: 'cluster' }>;
    expect(unreachable.cluster).toBe('east');
    expect(Date.parse(unreachable.since)).toBeGreaterThanOrEqual(o.startedAt);
    expect(Date.parse(unreachable.since)).toBeLessThan(o.endedAt!);
    expect(unreachable.message).toMatch(/waiting for cluster east/);
    expect(
      events.some(e => e.type === 'phase' && e.phase === 'RollingBack'),
    ).toBe(false);
    await expectCopied(ns, tree);
  });

  it('a budget run out fails without a rollback, and a resume once the cluster is back completes', async () => {
    const ns = 'outage-budget';
    const { tree, options } = await setup(ns, 1);
    const events: CopyEvent[] = [];
    let saved: TransferCheckpoint | undefined;
    let outage: OutageHandle | undefined;
    const err = await runCopy({
      ...options,
      outageBudgetMs: 5_000,
      onEvent: e => events.push(e),
      onCheckpoint: c => {
        saved = c;
        // the application is stopped: the worst moment for the API server to go
        if (c.completedSteps.at(-1) === 'quiesce')
          outage = faults().outage({ durationMs: 30_000 });
      },
    }).catch(e => e);
    // it gave up while the outage lasted, on the budget, not on the outage's end
    expect(outage).toBeDefined();
    expect(outage!.endedAt).toBeUndefined();
    expect(outage!.refused).toBeGreaterThan(0);
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    expect((err as ClusterUnreachableError).cluster).toBe('east');
    expect(saved?.completedSteps.at(-1)).toBe('quiesce');
    const phases = events.flatMap(e => (e.type === 'phase' ? [e.phase] : []));
    expect(phases).not.toContain('RollingBack');
    expect(phases.at(-1)).toBe('Failed');
    expect(
      events.some(
        e => e.type === 'warning' && /nothing was rolled back/.test(e.message),
      ),
    ).toBe(true);

    await outage!.over;
    // left as it was: the application still stopped by this transfer, the destination and the server there
    const web = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'web', namespace: ns });
    expect(web.spec?.replicas).toBe(0);
    expect(web.metadata?.annotations?.[QUIESCED_BY]).toBe(ns);
    expect(await transferLeftovers(kc, `${ns}-to`, ns, { pvcs: true })).toEqual(
      expect.arrayContaining(['data', `nst-${ns}-server`]),
    );

    const resumed = await runCopy({ ...options, checkpoint: saved });
    expect(resumed.checkpoint.phase).toBe('Succeeded');
    expect(resumed.syncs.filter(s => !s.within).map(s => s.run)).toEqual([
      'final',
    ]);
    const back = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'web', namespace: ns });
    expect(back.spec?.replicas).toBe(1);
    expect(back.metadata?.annotations?.[QUIESCED_BY]).toBeUndefined();
    await expectCopied(ns, tree);
  });

  it('a cancel during an outage rolls back only once the cluster answers again', async () => {
    const ns = 'outage-cancel';
    const { tree, options } = await setup(ns, 1);
    const events: Array<CopyEvent & { seenAt: number }> = [];
    const cancel = new AbortController();
    let outage: OutageHandle | undefined;
    // the API server goes away while the staging sync runs, and the person cancels during it: the
    // engine stops waiting for the sync at once and has a rollback to do against a cluster that is away
    const trigger = faults().add({
      verb: 'patch',
      resource: 'pods/status',
      namespace: ns,
      name: `nst-${ns}-client-stage-1`,
      when: () => {
        if (!outage)
          setImmediate(() => {
            outage ??= faults().outage({ durationMs: 15_000 });
            // the cancel comes once the engine has met the outage (a connection of it refused), not after
            // a fixed time that a loaded machine may spend before the engine tries anything
            const met = setInterval(() => {
              if (!outage!.refused && !outage!.endedAt) return;
              clearInterval(met);
              cancel.abort(new Error('cancelled by the test'));
            }, 50);
          });
        return false;
      },
    });
    const err = await runCopy({
      ...options,
      signal: cancel.signal,
      onEvent: e => events.push({ ...e, seenAt: Date.now() }),
    }).catch(e => e);
    trigger.remove();
    expect(String(err)).toMatch(/cancelled by the test/);
    const o = outage!;
    expect(o.refused).toBeGreaterThan(0);
    // the rollback began after the API server was back, not against it while it was away
    const rollingBack = events.find(
      e => e.type === 'phase' && e.phase === 'RollingBack',
    );
    expect(rollingBack).toBeDefined();
    expect(o.endedAt).toBeDefined();
    expect(rollingBack!.seenAt).toBeGreaterThanOrEqual(o.endedAt!);
    expect(events.at(-1)).toMatchObject({ type: 'phase', phase: 'Cancelled' });
    // and it finished: the application is back, nothing of the transfer is left, the source as it was
    const web = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'web', namespace: ns });
    expect(web.spec?.replicas).toBe(1);
    expect(web.metadata?.annotations?.[QUIESCED_BY]).toBeUndefined();
    const left = async () =>
      JSON.stringify([
        await transferLeftovers(kc, ns, ns, { pvcs: true }),
        await transferLeftovers(kc, `${ns}-to`, ns, { pvcs: true }),
      ]);
    await pollUntil(
      async () => ((await left()) === '[[],[]]' ? true : undefined),
      {
        timeoutMs: 60_000,
        what: `nothing left of ${ns}`,
      },
    ).catch(() => undefined);
    expect(await left()).toBe('[[],[]]');
    expect(
      diffTrees(
        tree,
        withoutLostFound(scanTree(await volumeDir(kc, ns, 'data'))),
      ),
    ).toEqual([]);
  });
});
