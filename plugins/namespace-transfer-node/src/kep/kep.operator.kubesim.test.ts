/**
 * The KEP controller as an operator on kube-sim: two replicas share one Lease (only the leader acts;
 * stopping it mid-run hands the run to the other, which finishes it), a transient fault is retried to
 * success, and a shutdown before the point of no return leaves the request to resume while one after it
 * lets the rebind finish first.
 */
import {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  V1MicroTime,
  type KubeConfig,
} from '@kubernetes/client-node';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startClusters, type SimWorld } from 'kube-sim';
import { retryOnConflict } from '../clusters';
import { pollUntil } from '../kube';
import { readThroughPod } from '../rebind/testing';
import { createBoundPvc, createWorkload } from '../testing/kubesim';
import {
  APPROVALS,
  REQUESTS,
  startKepController,
  type KepController,
  type KepControllerOptions,
  type KepHooks,
  type NamespaceTransferRequest,
} from '.';
import { RequestStatusWriter, setCondition } from './status';
import {
  approval,
  kepObjects,
  prepareKepCluster,
  requestEnded,
  transferRequest,
} from './testing';

jest.setTimeout(300_000);

const CRDS = join(__dirname, '../../../../deploy/crds');

describe('KEP operator on kube-sim', () => {
  let world: SimWorld;
  let kc: KubeConfig;
  const running: KepController[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    kc = world.cluster('east').kubeConfig();
    await prepareKepCluster(kc, CRDS, ['kep-system', 'team-a', 'team-b']);
  });

  // a controller left running by a failed test would act on the next test's requests
  afterEach(async () => {
    world.cluster('east').apiServer.faults.clear();
    await Promise.all(running.splice(0).map(c => c.stop()));
  });

  afterAll(async () => {
    await world?.stop();
  });

  const { create, request, until } = kepObjects(() => kc, logs);
  const start = (name: string, o: Partial<KepControllerOptions> = {}) => {
    const c = startKepController({
      kubeConfig: kc,
      log: m => logs.push(`${name}: ${m}`),
      ...o,
    });
    running.push(c);
    return c;
  };
  /** a source claim with a file and a running workload */
  const source = async (claim: string) => {
    const dir = await createBoundPvc(kc, 'team-a', claim, 'movable');
    writeFileSync(`${dir}/${claim}.txt`, `${claim}\n`);
    await createWorkload(kc, 'team-a', `app-${claim}`, claim, 1001, 1);
  };
  /** the approval and the request for a source claim */
  const requestFor = async (claim: string) => {
    await create(APPROVALS, 'team-a', approval(`${claim}-ok`, claim, 'team-b'));
    await create(
      REQUESTS,
      'team-b',
      transferRequest(`want-${claim}`, { namespace: 'team-a', claim }),
    );
  };
  const transfer = async (claim: string) => {
    await source(claim);
    await requestFor(claim);
  };
  const succeededWithData = async (claim: string) => {
    const done = await until('team-b', `want-${claim}`, requestEnded, claim);
    expect(done.status?.phase).toBe('Succeeded');
    expect(await readThroughPod(kc, 'team-b', claim, `${claim}.txt`)).toBe(
      `${claim}\n`,
    );
    return done;
  };
  const lastStep = (r: NamespaceTransferRequest) =>
    r.status?.checkpoint?.completedSteps.at(-1);

  it('two replicas, one Lease: only the leader acts; stopping it mid-run hands the run over', async () => {
    const election = (identity: string) => ({
      namespace: 'kep-system',
      identity,
      // generous for a loaded machine: a renewal late by more than renewDeadline would (rightly) hand over
      leaseDurationMs: 8000,
      renewDeadlineMs: 6000,
      retryPeriodMs: 200,
    });
    const seen: Record<string, string[]> = { one: [], two: [] };
    let stopping: Promise<void> | undefined;
    const replicas: Record<string, KepController> = {};
    const hooks = (name: string): KepHooks => ({
      started: t =>
        void seen[name].push(`started ${t.resumedFrom?.completedSteps.at(-1)}`),
      checkpoint: (_t, c) => {
        seen[name].push(`checkpoint ${c.completedSteps.at(-1)}`);
        // the leader stops once the workloads are down and before the source claim is deleted
        if (c.completedSteps.at(-1) === 'quiesce' && !stopping)
          stopping = replicas[name].stop();
      },
      ended: (_t, o) => void seen[name].push(`ended ${o.state}`),
    });
    for (const name of ['one', 'two'])
      replicas[name] = start(name, {
        leaderElection: election(name),
        hooks: hooks(name),
      });
    await Promise.all(Object.values(replicas).map(c => c.ready));
    const leaderName = await pollUntil(
      async () => Object.keys(replicas).find(n => replicas[n].isLeader()),
      { timeoutMs: 20_000, intervalMs: 100, what: 'a leader' },
    );
    const otherName = leaderName === 'one' ? 'two' : 'one';
    expect(replicas[otherName].isLeader()).toBe(false);

    await transfer('shared');
    const done = await succeededWithData('shared');
    await stopping;
    // the leader ran until the point of no return and handed over; the other resumed from 'quiesce'
    expect(seen[leaderName]).toEqual([
      'started undefined',
      'checkpoint preconditions',
      'checkpoint record-reclaim-policy',
      'checkpoint retain',
      'checkpoint mark-source',
      'checkpoint quiesce',
      'ended handedOver',
    ]);
    expect(seen[otherName][0]).toBe('started quiesce');
    expect(seen[otherName]).toContain('checkpoint delete-source');
    expect(seen[otherName].at(-1)).toBe('ended succeeded');
    expect(replicas[otherName].isLeader()).toBe(true);
    // a run handed over or stopped is no attempt: only runs that ended count
    expect(done.status?.attempts).toBe(1);
  });

  it('retries a transient fault with backoff and succeeds', async () => {
    await source('flaky');
    // marking the source claim fails with 503 until the controller schedules a retry: past the engine's
    // own retries of the call, so the run fails and is rolled back
    const fault = world.cluster('east').apiServer.faults.add({
      verb: 'update',
      resource: 'persistentvolumeclaims',
      namespace: 'team-a',
      name: 'flaky',
      status: 503,
    });
    let duringRetry: NamespaceTransferRequest | undefined;
    let retried: { message: string; delayMs: number } | undefined;
    const hooks: KepHooks = {
      retrying: async (_t, r) => {
        fault.remove();
        retried = r;
        duringRetry = await request('team-b', 'want-flaky');
      },
    };
    const c = start('retry', {
      retry: { baseDelayMs: 300, maxDelayMs: 1000 },
      hooks,
    });
    await c.ready;
    await requestFor('flaky');
    const done = await succeededWithData('flaky');
    expect(fault.hits).toBeGreaterThan(0);
    expect(retried?.message).toMatch(/unavailable|503/);
    expect(duringRetry?.status).toMatchObject({
      phase: 'Pending',
      attempts: 1,
    });
    // rolled back before the point of no return: the next attempt starts over
    expect(duringRetry?.status?.checkpoint).toBeUndefined();
    expect(duringRetry?.status?.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'Progressing',
          status: 'True',
          reason: 'Retrying',
        }),
      ]),
    );
    expect(done.status?.attempts).toBe(2);
    expect(done.status?.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Ready', status: 'True' }),
        expect.objectContaining({ type: 'Progressing', status: 'False' }),
      ]),
    );
  });

  it('a stop before the point of no return leaves the request to resume; a new controller finishes it', async () => {
    let stopping: Promise<void> | undefined;
    const ended: string[] = [];
    const c: KepController = start('early', {
      hooks: {
        checkpoint: (_t, cp) => {
          if (cp.completedSteps.at(-1) === 'quiesce') stopping ??= c.stop();
        },
        ended: (_t, o) => void ended.push(o.state),
      },
    });
    await c.ready;
    await transfer('early');
    await pollUntil(async () => (stopping ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the stop at quiesce',
    });
    await stopping;
    expect(ended).toEqual(['handedOver']);
    const left = await request('team-b', 'want-early');
    expect(left.status?.phase).not.toBe('Failed');
    expect(lastStep(left)).toBe('quiesce');
    const next = start('early-next');
    await next.ready;
    const done = await succeededWithData('early');
    expect(done.status?.attempts).toBe(1);
  });

  it('a stop as the point of no return starts, then a failure there: rolled back and ended, its checkpoint without the undone steps', async () => {
    let stopping: Promise<void> | undefined;
    let quiesced = false;
    const c: KepController = start('taken', {
      hooks: {
        checkpoint: async (_t, cp) => {
          if (cp.completedSteps.at(-1) !== 'quiesce') return;
          quiesced = true;
          // a claim of the destination's name appears meanwhile: the point of no return refuses to go on
          await kc
            .makeApiClient(CoreV1Api)
            .createNamespacedPersistentVolumeClaim({
              namespace: 'team-b',
              body: {
                metadata: { name: 'taken' },
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  resources: { requests: { storage: '1Gi' } },
                },
              },
            });
        },
        // reported as the point of no return's step starts, before its check: the engine ignores the stop
        event: (_t, e) => {
          if (quiesced && e.type === 'phase' && e.phase === 'Rebinding')
            stopping ??= c.stop();
        },
      },
    });
    await c.ready;
    await transfer('taken');
    await pollUntil(async () => (stopping ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the stop as delete-source starts',
    });
    await stopping;
    const left = await request('team-b', 'want-taken');
    // the engine rolled back: nothing may resume past the quiesce and the mark it undid
    expect(left.status?.checkpoint?.completedSteps ?? []).not.toContain(
      'quiesce',
    );
    expect(left.status?.phase).toBe('Failed');
    expect(left.status?.message).toContain('appeared meanwhile');
    expect(left.status?.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Failed', reason: 'TransferFailed' }),
      ]),
    );
    const app = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ namespace: 'team-a', name: 'app-taken' });
    expect(app.spec?.replicas).toBe(1);
    const claim = await kc
      .makeApiClient(CoreV1Api)
      .readNamespacedPersistentVolumeClaim({
        namespace: 'team-a',
        name: 'taken',
      });
    expect(claim.metadata?.deletionTimestamp).toBeUndefined();
  });

  it('a stop after the point of no return lets the rebind finish before stop() resolves', async () => {
    let stopping: Promise<void> | undefined;
    const c: KepController = start('late', {
      hooks: {
        checkpoint: (_t, cp) => {
          if (cp.completedSteps.at(-1) === 'delete-source')
            stopping ??= c.stop();
        },
      },
    });
    await c.ready;
    await transfer('late');
    await pollUntil(async () => (stopping ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the stop at delete-source',
    });
    await stopping;
    const r = await request('team-b', 'want-late');
    expect(r.status?.phase).toBe('Succeeded');
    expect(r.status?.attempts).toBe(1);
  });

  it('a run past the point of no return that outlasts stopTimeoutMs is handed over, and stop() returns; Failed there, it is still resumed', async () => {
    let stopping: Promise<void> | undefined;
    const ended: string[] = [];
    const c: KepController = start('slow', {
      stopTimeoutMs: 500,
      hooks: {
        // the run is held past the point of no return until the stop gave up waiting for it
        checkpoint: async (_t, cp) => {
          if (cp.completedSteps.at(-1) !== 'delete-source' || stopping) return;
          stopping = c.stop();
          await pollUntil(
            async () =>
              logs.some(l => l.startsWith('slow: stopping: runs past'))
                ? true
                : undefined,
            { timeoutMs: 30_000, intervalMs: 50, what: 'stop() to give up' },
          );
        },
        ended: (_t, o) => void ended.push(o.state),
      },
    });
    await c.ready;
    await transfer('slow');
    await pollUntil(async () => (stopping ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the stop at delete-source',
    });
    await stopping;
    expect(ended).toEqual(['handedOver']);
    const left = await request('team-b', 'want-slow');
    expect(left.status?.phase).not.toBe('Failed');
    expect(lastStep(left)).toBe('delete-source');
    // as an older controller ended such a run: Failed, the checkpoint still past the point of no return
    await new RequestStatusWriter(kc).update('team-b', 'want-slow', st => ({
      ...st,
      phase: 'Failed',
      conditions: setCondition(st.conditions, {
        type: 'Failed',
        status: 'True',
        reason: 'TransferFailed',
        message: 'boom',
      }),
    }));
    const next = start('slow-next');
    await next.ready;
    const done = await until(
      'team-b',
      'want-slow',
      r => r.status?.phase === 'Succeeded',
      'Succeeded',
    );
    expect(await readThroughPod(kc, 'team-b', 'slow', 'slow.txt')).toBe(
      'slow\n',
    );
    expect(done.status?.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Failed', status: 'False' }),
        expect.objectContaining({ type: 'Ready', status: 'True' }),
      ]),
    );
  });

  it('losing the Lease hands the run over at once, putting nothing back; the next lead resumes it', async () => {
    const lease = { namespace: 'kep-system', name: 'kep-lost' };
    const coordination = kc.makeApiClient(CoordinationV1Api);
    // another holder takes the Lease (as a replica that judged it expired would) and keeps it until let go
    const setHolder = (holderIdentity: string) =>
      retryOnConflict(async () => {
        const l = await coordination.readNamespacedLease(lease);
        l.spec = {
          ...l.spec,
          holderIdentity,
          leaseDurationSeconds: 3600,
          renewTime: new V1MicroTime(Date.now()),
        };
        await coordination.replaceNamespacedLease({ ...lease, body: l });
      });
    const ended: string[] = [];
    let stolen = false;
    const c: KepController = start('lost', {
      leaderElection: {
        ...lease,
        identity: 'lost',
        // the steal is seen at the next renewal; a short renewDeadline would lose the Lease on a loaded
        // machine before the steal and hand over at another step
        leaseDurationMs: 8000,
        renewDeadlineMs: 6000,
        retryPeriodMs: 200,
      },
      hooks: {
        checkpoint: async (_t, cp) => {
          if (cp.completedSteps.at(-1) !== 'quiesce' || stolen) return;
          stolen = true;
          await setHolder('intruder');
          await pollUntil(async () => (c.isLeader() ? undefined : true), {
            timeoutMs: 20_000,
            intervalMs: 50,
            what: 'the replica to stop leading',
          });
        },
        ended: (_t, o) => void ended.push(o.state),
      },
    });
    await c.ready;
    await pollUntil(async () => (c.isLeader() ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 100,
      what: 'the replica to lead',
    });
    await transfer('lost');
    await pollUntil(async () => (ended.length ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the run to end',
    });
    expect(ended).toEqual(['handedOver']);
    const left = await request('team-b', 'want-lost');
    expect(left.status?.phase).not.toBe('Failed');
    expect(lastStep(left)).toBe('quiesce');
    // nothing was put back: the workload stays scaled down for whoever resumes
    const app = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ namespace: 'team-a', name: 'app-lost' });
    expect(app.spec?.replicas).toBe(0);

    await setHolder('');
    const done = await succeededWithData('lost');
    expect(done.status?.attempts).toBe(1);
    expect(ended).toEqual(['handedOver', 'succeeded']);
  });
});
