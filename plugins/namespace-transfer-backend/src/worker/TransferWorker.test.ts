import type { Knex } from 'knex';
import { KubeConfig } from '@kubernetes/client-node';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { migrateToLatest } from '../store/migrate';
import { TransferStore, type NewTransfer, type Transfer } from '../store';
import { newTransfer, realisticPlan } from '../store/__testUtils__/transfers';
import { TransferWorker } from './TransferWorker';
import {
  aborted,
  checkpointOf,
  eventually,
  FakeEngine,
  gate,
  recordingNotices,
  result,
  testWorkerConfig,
} from './__testUtils__/fakeEngine';
import type { WorkerConfig } from './config';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const owner = {
  actor: 'user:default/bob',
  ownership: { sourceOwners: ['group:default/team-payments'] },
};

let db: Knex;
let store: TransferStore;
const workers: TransferWorker[] = [];

beforeAll(async () => {
  db = await databases.init('SQLITE_3');
  await migrateToLatest(db);
  store = new TransferStore(db);
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map(w => w.stop('test ended')));
  await db('transfers')
    .whereIn('state', ['approved', 'running', 'staged'])
    .update({ state: 'cancelled', lease_holder: null });
});

function startWorker(
  engine: FakeEngine,
  o: {
    holder?: string;
    config?: Partial<WorkerConfig>;
    runs?: TransferStore['runs'];
  } = {},
) {
  const recorded = recordingNotices();
  const worker = new TransferWorker({
    holder: o.holder ?? 'w1',
    runs: o.runs ?? store.runs,
    read: id => store.get(id),
    engine: engine.run,
    kubeConfig: () => new KubeConfig(),
    notices: recorded.notices,
    logger: mockServices.logger.mock(),
    config: testWorkerConfig(o.config),
    cancelWatchMs: 100,
  });
  workers.push(worker);
  worker.start();
  return { worker, ...recorded };
}

async function approved(over: Partial<NewTransfer> = {}): Promise<Transfer> {
  // a request that does not ask to stage runs through (the test data's default asks to)
  const t = await store.createTransfer(
    newTransfer({ options: { verify: 'full' }, ...over }),
  );
  return store.decide({ transferId: t.id, kind: 'approve', ...owner });
}

const stateOf = (id: string, state: Transfer['state']) =>
  eventually(async () => {
    const t = await store.get(id);
    return t.state === state && t;
  }, `transfer ${id} ${state}`);

describe('TransferWorker', () => {
  it('claims an approved transfer and runs it to succeeded, storing its plan, phases, progress and checkpoints', async () => {
    const engine = new FakeEngine();
    const fresh = { ...realisticPlan(), estimatedSeconds: 30 };
    engine.script = async o => {
      o.onEvent?.({ type: 'plan', plan: fresh });
      o.onEvent?.({ type: 'phase', phase: 'Provisioning', at: 'now' });
      await o.onCheckpoint?.(checkpointOf(o, ['provision']), {
        pastPointOfNoReturn: false,
      });
      o.onEvent?.({
        type: 'progress',
        run: 'final',
        sample: { at: 'now', attempt: 1, bytesDone: 512, bytesTotal: 1024 },
      });
      o.onEvent?.({ type: 'warning', message: 'slow disk' });
      await o.onCheckpoint?.(checkpointOf(o, ['provision', 'verify']), {
        pastPointOfNoReturn: true,
      });
      return result({ outcome: 'succeeded', mode: 'copy', downtimeMs: 1200 });
    };
    const t = await approved();
    const { states, progress } = startWorker(engine);
    const done = await stateOf(t.id, 'succeeded');

    const call = engine.callFor(t.engineTransferId)!;
    expect(call).toMatchObject({
      spec: {
        id: t.engineTransferId,
        source: {
          cluster: 'east',
          namespace: 'payments',
          name: t.source.claim,
        },
        destination: { cluster: 'west', namespace: 'payments-next' },
        mode: 'auto',
        intent: 'move',
      },
      approvedPlan: t.plan,
      image: 'registry.example.com/mover:1',
      outageBudgetMs: 60_000,
    });
    expect(call.checkpoint).toBeUndefined();
    expect(call.until).toBeUndefined();
    expect(done).toMatchObject({
      // the owners' plan stays; the run's own is kept beside it for a resume
      plan: t.plan,
      runPlan: fresh,
      chosenMode: 'copy',
      phase: 'Provisioning',
      progress: { bytesDone: 512, bytesTotal: 1024 },
      downtimeMs: 1200,
      pastPointOfNoReturn: true,
      checkpoint: { completedSteps: ['provision', 'verify'] },
    });
    expect(done.lease?.holder).toBeUndefined();
    expect(states.filter(s => s.id === t.id)).toEqual([
      { id: t.id, to: 'running', action: 'start' },
      { id: t.id, to: 'succeeded', action: 'succeed' },
    ]);
    expect(progress.filter(p => p.id === t.id).map(p => p.what)).toEqual([
      'phase',
      'progress',
    ]);
    const kinds = (await store.readEvents({ transferId: t.id })).map(
      e => e.kind,
    );
    expect(kinds).toEqual([
      'state',
      'decision',
      'state',
      'state',
      'phase',
      'progress',
      'warning',
      'state',
    ]);
  });

  it('runs at most the global number at once, and no more per cluster than allowed', async () => {
    const engine = new FakeEngine();
    const release = gate();
    engine.script = async o => {
      await release.promise;
      return result({ outcome: 'succeeded', plan: o.approvedPlan });
    };
    const eastWest = [await approved(), await approved()];
    const northSouth = await approved({
      source: {
        cluster: 'north',
        namespace: 'a',
        claim: 'c1',
        entityRef: 'component:default/a',
      },
      destination: {
        cluster: 'south',
        namespace: 'b',
        claim: 'c1',
        entityRef: 'component:default/b',
      },
    });
    const third = await approved({
      source: {
        cluster: 'north',
        namespace: 'a',
        claim: 'c2',
        entityRef: 'component:default/a',
      },
      destination: {
        cluster: 'south',
        namespace: 'b',
        claim: 'c2',
        entityRef: 'component:default/b',
      },
    });
    const { worker } = startWorker(engine, {
      config: { concurrency: { global: 2, perCluster: 1 } },
    });
    await eventually(async () => engine.calls.length === 2, 'two runs');
    // one per cluster pair, though two more were approved
    expect(worker.running.sort()).toEqual(
      [eastWest[0].id, northSouth.id].sort(),
    );
    release.open();
    for (const t of [...eastWest, northSouth, third])
      await stateOf(t.id, 'succeeded');
    expect(engine.maxRunning).toBe(2);
  });

  it('passes a cancel recorded by another replica to the run as its abort signal, and stores the roll back', async () => {
    const engine = new FakeEngine();
    const stepDone = gate();
    engine.script = async o => {
      o.onEvent?.({ type: 'plan', plan: o.approvedPlan! });
      await o.onCheckpoint?.(checkpointOf(o, ['provision']), {
        pastPointOfNoReturn: false,
      });
      stepDone.open();
      await aborted(o.signal);
      o.onEvent?.({ type: 'phase', phase: 'RollingBack', at: 'now' });
      return result({ outcome: 'cancelled', plan: o.approvedPlan });
    };
    const t = await approved();
    const { states } = startWorker(engine);
    await stepDone.promise;
    // another replica's store on the same database records the cancel
    const otherReplica = new TransferStore(db);
    const asked = Date.now();
    await otherReplica.decide({ transferId: t.id, kind: 'cancel', ...owner });
    const done = await stateOf(t.id, 'cancelled');
    expect(Date.now() - asked).toBeLessThan(3000);
    expect(engine.callFor(t.engineTransferId)!.signal!.aborted).toBe(true);
    expect(engine.callFor(t.engineTransferId)!.handOver!.aborted).toBe(false);
    expect(done.phase).toBe('RollingBack');
    expect(states.at(-1)).toEqual({
      id: t.id,
      to: 'cancelled',
      action: 'roll-back',
    });
  });

  it('hands a run over when its heartbeat fails until the lease nearly ends, writing nothing more; another worker resumes it from its checkpoint', async () => {
    const engine = new FakeEngine();
    const firstStep = gate();
    let lateWrite: Promise<unknown> | undefined;
    engine.script = async o => {
      if (o.checkpoint) {
        o.onEvent?.({ type: 'plan', plan: o.plan! });
        return result({ outcome: 'succeeded', plan: o.plan });
      }
      o.onEvent?.({ type: 'plan', plan: o.approvedPlan! });
      await o.onCheckpoint?.(checkpointOf(o, ['provision']), {
        pastPointOfNoReturn: false,
      });
      firstStep.open();
      await aborted(o.handOver);
      // a step the engine still reports on its way out is not written
      lateWrite = Promise.resolve(
        o.onCheckpoint?.(checkpointOf(o, ['provision', 'sync']), {
          pastPointOfNoReturn: false,
        }),
      );
      return result({ outcome: 'handed-over' });
    };
    // the database stops answering this worker's heartbeats
    let heartbeats = 0;
    const failingRuns = Object.create(store.runs) as TransferStore['runs'];
    failingRuns.heartbeat = async () => {
      heartbeats++;
      throw new Error('connection terminated');
    };
    const t = await approved();
    const first = startWorker(engine, { runs: failingRuns });
    await firstStep.promise;
    const call = engine.callFor(t.engineTransferId)!;
    await aborted(call.handOver);
    await lateWrite;
    expect(heartbeats).toBeGreaterThanOrEqual(2);
    expect(call.signal!.aborted).toBe(false);
    const left = await store.get(t.id);
    expect(left).toMatchObject({
      state: 'running',
      lease: { holder: 'w1', epoch: 1 },
      checkpoint: { completedSteps: ['provision'] },
    });

    // the first replica goes away (it could otherwise claim the expired lease again itself, as it may), and
    // once the lease has expired another replica takes it over and resumes
    await first.worker.stop();
    const second = new FakeEngine();
    second.script = engine.script;
    startWorker(second, { holder: 'w2' });
    const done = await stateOf(t.id, 'succeeded');
    expect(second.calls[0]).toMatchObject({
      checkpoint: { completedSteps: ['provision'] },
      plan: t.plan,
    });
    expect(second.calls[0].approvedPlan).toBeUndefined();
    expect(done.lease?.epoch).toBe(2);
  });

  it('stops a run whose lease another worker took (fencing): its writes are refused and it ends nothing', async () => {
    const engine = new FakeEngine();
    const firstStep = gate();
    const writeRefused = gate<unknown>();
    engine.script = async o => {
      o.onEvent?.({ type: 'plan', plan: o.approvedPlan! });
      await o.onCheckpoint?.(checkpointOf(o, ['provision']), {
        pastPointOfNoReturn: false,
      });
      firstStep.open();
      await aborted(o.handOver);
      writeRefused.open(o.handOver!.reason);
      return result({ outcome: 'succeeded', plan: o.approvedPlan });
    };
    const t = await approved();
    startWorker(engine, { config: { leaseMs: 60_000 } });
    await firstStep.promise;
    // another replica holds it now (as after an expiry it did not notice)
    await db('transfers')
      .where({ id: t.id })
      .update({ lease_holder: 'w9', lease_epoch: 7 });
    expect(String(await writeRefused.promise)).toMatch(/held by w9 at epoch 7/);
    // the run's "succeeded" was not stored over the new holder's run
    await eventually(
      async () => workers[0].running.length === 0,
      'the run to end',
    );
    expect(await store.get(t.id)).toMatchObject({
      state: 'running',
      lease: { holder: 'w9', epoch: 7 },
    });
  });

  it('hands everything over on a graceful stop, without a roll back', async () => {
    const engine = new FakeEngine();
    const started = gate();
    engine.script = async o => {
      o.onEvent?.({ type: 'plan', plan: o.approvedPlan! });
      await o.onCheckpoint?.(checkpointOf(o, ['provision']), {
        pastPointOfNoReturn: false,
      });
      started.open();
      await aborted(o.handOver);
      return result({ outcome: 'handed-over' });
    };
    const t = await approved();
    const { worker } = startWorker(engine, { config: { leaseMs: 60_000 } });
    await started.promise;
    await worker.stop('the backend is stopping');
    const call = engine.callFor(t.engineTransferId)!;
    expect(call.handOver!.aborted).toBe(true);
    expect(call.signal!.aborted).toBe(false);
    const left = await store.get(t.id);
    expect(left.state).toBe('running');
    expect(left.lease?.holder).toBeUndefined();
    const events = await store.readEvents({ transferId: t.id });
    expect(events.at(-1)!.payload.message).toBe(
      'handed over by w1: the backend is stopping',
    );
  });
});

describe('outcomes', () => {
  it('asks again with the fresh plan when the plan changed before the start', async () => {
    const engine = new FakeEngine();
    const fresh = { ...realisticPlan(), mode: 'rebind' as const };
    engine.script = async o => {
      o.onEvent?.({ type: 'plan', plan: fresh });
      return result({
        outcome: 'plan-changed',
        plan: fresh,
        planChanges: ['mode: copy → rebind'],
      });
    };
    const t = await approved();
    const { states } = startWorker(engine);
    const back = await stateOf(t.id, 'pending-approval');
    expect(back).toMatchObject({ plan: fresh, approvedBy: [] });
    const events = await store.readEvents({ transferId: t.id });
    expect(events.at(-1)).toMatchObject({
      kind: 'state',
      payload: {
        to: 'pending-approval',
        action: 'ask-again',
        details: { planChanges: ['mode: copy → rebind'] },
      },
    });
    // the owners' new ask says what changed since they approved
    expect(states.at(-1)).toMatchObject({
      action: 'ask-again',
      comment: 'mode: copy → rebind',
    });
  });

  it('fails past the point of no return so that it is resumed, not retried', async () => {
    const engine = new FakeEngine();
    engine.script = async o => {
      if (o.checkpoint) return result({ outcome: 'succeeded', plan: o.plan });
      o.onEvent?.({ type: 'plan', plan: o.approvedPlan! });
      return result({
        outcome: 'failed',
        error: 'finalize: the API server refused',
        pastPointOfNoReturn: true,
        checkpoint: checkpointOf(o, ['verify', 'mark-source']),
      });
    };
    const t = await approved();
    startWorker(engine);
    const failed = await stateOf(t.id, 'failed');
    expect(failed).toMatchObject({
      pastPointOfNoReturn: true,
      error: 'finalize: the API server refused',
      checkpoint: { completedSteps: ['verify', 'mark-source'] },
    });
    await expect(
      store.decide({ transferId: t.id, kind: 'retry', ...owner }),
    ).rejects.toThrow(/resume it instead/);
    await store.decide({ transferId: t.id, kind: 'resume', ...owner });
    workers[0].wake();
    await stateOf(t.id, 'succeeded');
    expect(engine.calls.at(-1)!.checkpoint?.completedSteps).toEqual([
      'verify',
      'mark-source',
    ]);
  });

  it('fails a run that gave its volume back after its point of no return so that it is retried, not resumed', async () => {
    const t = await approved();
    let storedPast: boolean | undefined;
    const engine = new FakeEngine();
    engine.script = async o => {
      o.onEvent?.({ type: 'plan', plan: o.approvedPlan! });
      // the step that crossed the point is stored with it, as in any run
      await o.onCheckpoint?.(checkpointOf(o, ['delete-source']), {
        pastPointOfNoReturn: true,
      });
      storedPast = (await store.get(t.id)).pastPointOfNoReturn;
      return result({
        outcome: 'failed',
        error: 'create-destination: the API server refused',
        pastPointOfNoReturn: false,
        givenBack: true,
        checkpoint: checkpointOf(o, ['given-back']),
      });
    };
    startWorker(engine);
    const failed = await stateOf(t.id, 'failed');
    expect(storedPast).toBe(true);
    expect(failed).toMatchObject({
      pastPointOfNoReturn: false,
      checkpoint: { completedSteps: ['given-back'] },
    });
    await expect(
      store.decide({ transferId: t.id, kind: 'resume', ...owner }),
    ).rejects.toThrow(/retry it instead/);
    const retried = await store.decide({
      transferId: t.id,
      kind: 'retry',
      ...owner,
    });
    expect(retried).toMatchObject({ state: 'approved', attempt: 2 });
    expect(retried.checkpoint).toBeUndefined();
  });

  it('stages a transfer that waits for its cut over, then cuts over when asked', async () => {
    const engine = new FakeEngine();
    engine.script = async o => {
      o.onEvent?.({ type: 'plan', plan: o.approvedPlan ?? o.plan! });
      if (o.until === 'staged')
        return result({
          outcome: 'staged',
          checkpoint: checkpointOf(o, ['stage-1']),
        });
      return result({ outcome: 'succeeded', checkpoint: o.checkpoint });
    };
    const t = await approved({ options: { stage: true } });
    const { worker } = startWorker(engine);
    const staged = await stateOf(t.id, 'staged');
    expect(staged.checkpoint?.completedSteps).toEqual(['stage-1']);
    expect(engine.calls).toHaveLength(1);
    await store.decide({ transferId: t.id, kind: 'cutover', ...owner });
    worker.wake();
    await stateOf(t.id, 'succeeded');
    expect(engine.calls[1]).toMatchObject({
      checkpoint: { completedSteps: ['stage-1'] },
    });
    expect(engine.calls[1].until).toBeUndefined();
  });

  it('sums the progress of an attempt over its runs: a cut-over whose final sync finds nothing changed keeps the stage’s bytes', async () => {
    const engine = new FakeEngine();
    engine.script = async o => {
      o.onEvent?.({ type: 'plan', plan: o.approvedPlan ?? o.plan! });
      const pass = o.until === 'staged' ? 'stage-1' : 'final';
      const moved = o.until === 'staged' ? 1000 : 0;
      o.onEvent?.({
        type: 'progress',
        run: pass,
        sample: { at: 'now', attempt: 1, bytesDone: moved, bytesTotal: moved },
      });
      return o.until === 'staged'
        ? result({
            outcome: 'staged',
            checkpoint: checkpointOf(o, ['stage-1']),
          })
        : result({ outcome: 'succeeded', checkpoint: o.checkpoint });
    };
    const t = await approved({ options: { stage: true } });
    const { worker } = startWorker(engine);
    expect((await stateOf(t.id, 'staged')).progress).toEqual({
      bytesDone: 1000,
      bytesTotal: 1000,
    });
    await store.decide({ transferId: t.id, kind: 'cutover', ...owner });
    worker.wake();
    expect((await stateOf(t.id, 'succeeded')).progress).toEqual({
      bytesDone: 1000,
      bytesTotal: 1000,
    });
  });

  it('counts the pass in flight once when a run handed over is taken over and re-reads its mover’s log from the start', async () => {
    const MiB = 2 ** 20;
    const engine = new FakeEngine();
    const halfway = gate();
    const pass = (bytesDone: number) => ({
      type: 'progress' as const,
      run: 'stage-1',
      sample: { at: 'now', attempt: 1, bytesDone, bytesTotal: 384 * MiB },
    });
    engine.script = async o => {
      o.onEvent?.({ type: 'plan', plan: o.approvedPlan ?? o.plan! });
      if (engine.calls.length === 1) {
        o.onEvent?.(pass(200 * MiB));
        halfway.open();
        await aborted(o.handOver);
        return result({ outcome: 'handed-over' });
      }
      // the mover pod still runs: the take-over follows its log from the first line
      for (const moved of [0, 200, 384]) o.onEvent?.(pass(moved * MiB));
      return result({ outcome: 'succeeded' });
    };
    const t = await approved();
    const first = startWorker(engine, { config: { leaseMs: 60_000 } });
    await halfway.promise;
    await first.worker.stop('the backend is stopping');
    expect((await store.get(t.id)).progress.bytesDone).toBe(200 * MiB);
    startWorker(engine, { holder: 'w2' });
    expect((await stateOf(t.id, 'succeeded')).progress).toEqual({
      bytesDone: 384 * MiB,
      bytesTotal: 384 * MiB,
    });
  });

  it('keeps what a sync step moved when the run is handed over after its checkpoint: the take-over does not run that step again', async () => {
    const MiB = 2 ** 20;
    const engine = new FakeEngine();
    const quiescing = gate();
    const pass = (run: string, bytesDone: number) => ({
      type: 'progress' as const,
      run,
      sample: { at: 'now', attempt: 1, bytesDone, bytesTotal: bytesDone },
    });
    engine.script = async o => {
      o.onEvent?.({ type: 'plan', plan: o.approvedPlan ?? o.plan! });
      if (engine.calls.length === 1) {
        o.onEvent?.(pass('stage-1', 384 * MiB));
        await o.onCheckpoint?.(checkpointOf(o, ['stage-1']), {
          pastPointOfNoReturn: false,
        });
        // stopping the application: no pass in flight
        quiescing.open();
        await aborted(o.handOver);
        return result({ outcome: 'handed-over' });
      }
      o.onEvent?.(pass('final', 10 * MiB));
      return result({ outcome: 'succeeded', checkpoint: o.checkpoint });
    };
    const t = await approved();
    const first = startWorker(engine, { config: { leaseMs: 60_000 } });
    await quiescing.promise;
    await first.worker.stop('the backend is stopping');
    startWorker(engine, { holder: 'w2' });
    expect((await stateOf(t.id, 'succeeded')).progress.bytesDone).toBe(
      394 * MiB,
    );
  });

  it('starts the progress of a retried attempt from zero', async () => {
    const engine = new FakeEngine();
    engine.script = async o => {
      o.onEvent?.({ type: 'plan', plan: o.approvedPlan! });
      const first = engine.calls.length === 1;
      o.onEvent?.({
        type: 'progress',
        run: 'final',
        sample: {
          at: 'now',
          attempt: 1,
          bytesDone: first ? 700 : 200,
          bytesTotal: 1000,
        },
      });
      return first
        ? result({ outcome: 'failed', error: 'the mover pod was evicted' })
        : result({ outcome: 'succeeded' });
    };
    const t = await approved();
    const { worker } = startWorker(engine);
    expect((await stateOf(t.id, 'failed')).progress.bytesDone).toBe(700);
    await store.decide({ transferId: t.id, kind: 'retry', ...owner });
    worker.wake();
    const done = await stateOf(t.id, 'succeeded');
    expect(done).toMatchObject({
      attempt: 2,
      progress: { bytesDone: 200, bytesTotal: 1000 },
    });
  });

  it('passes a cancel recorded while staged to the resumed run at once (the engine rolls back from the checkpoint)', async () => {
    const engine = new FakeEngine();
    let abortedAtStart: boolean | undefined;
    engine.script = async o => {
      if (o.until === 'staged')
        return result({
          outcome: 'staged',
          checkpoint: checkpointOf(o, ['stage-1']),
        });
      abortedAtStart = o.signal!.aborted;
      return result({ outcome: 'cancelled' });
    };
    const t = await approved({ options: { stage: true } });
    const { worker } = startWorker(engine);
    await stateOf(t.id, 'staged');
    await store.decide({ transferId: t.id, kind: 'cancel', ...owner });
    worker.wake();
    await stateOf(t.id, 'cancelled');
    expect(abortedAtStart).toBe(true);
    expect(engine.calls[1]).toMatchObject({
      checkpoint: { completedSteps: ['stage-1'] },
    });
  });
});
