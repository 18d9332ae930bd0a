import type {
  Plan,
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { KubeConfig } from '@kubernetes/client-node';
import { runCopy, type CopyOptions } from '../copy';
import type { PlanFacts } from '../plan';
import { planTransferRun } from './plan';
import { runTransfer } from './runTransfer';

// the unit's boundaries: reading the clusters, and the copy flow (which the kube-sim tests run for real)
jest.mock('./plan', () => ({ planTransferRun: jest.fn() }));
jest.mock('../copy', () => ({ runCopy: jest.fn() }));
const plan = planTransferRun as jest.MockedFunction<typeof planTransferRun>;
const copy = runCopy as jest.MockedFunction<typeof runCopy>;

const spec: TransferSpec = {
  id: 't1',
  source: { cluster: 'east', namespace: 'shop', name: 'data' },
  destination: { cluster: 'west', namespace: 'shop', name: 'data' },
  mode: 'copy',
  intent: 'clone',
};
const kc = new KubeConfig();
const planned = {
  facts: { sourceWorkloads: [] } as unknown as PlanFacts,
  plan: { mode: 'copy', allowed: true, refusals: [] } as unknown as Plan,
};
const at = new Date().toISOString();
const checkpoint: TransferCheckpoint = {
  transferId: 't1',
  version: 1,
  phase: 'Quiescing',
  completedSteps: [],
  state: {},
  updatedAt: at,
};

describe('runTransfer', () => {
  afterEach(() => {
    plan.mockReset();
    copy.mockReset();
  });

  it('returns at once on a hand-over, without waiting for the call in flight, and reports nothing after it', async () => {
    let answer: (() => void) | undefined;
    plan.mockImplementation(
      () =>
        new Promise((_, reject) => {
          answer = () => reject(new Error('the cluster answered late'));
        }),
    );
    const handOver = new AbortController();
    const events: unknown[] = [];
    const running = runTransfer({
      spec,
      source: kc,
      destination: kc,
      handOver: handOver.signal,
      onEvent: e => events.push(e),
    });
    await new Promise(setImmediate);
    expect(plan).toHaveBeenCalledTimes(1);
    handOver.abort(new Error('the worker is stopping'));
    const r = await running;
    expect(r).toEqual({
      outcome: 'handed-over',
      pastPointOfNoReturn: false,
      plan: undefined,
      mode: undefined,
      checkpoint: undefined,
      durationMs: expect.any(Number),
    });
    answer!();
    await new Promise(setImmediate);
    expect(events).toEqual([]);
  });

  it('lets a rollback under way finish before it returns, and says how it ended', async () => {
    plan.mockResolvedValue(planned);
    const handOver = new AbortController();
    let finishRollback: (() => void) | undefined;
    copy.mockImplementation(async (o: CopyOptions) => {
      o.onEvent?.({ type: 'phase', phase: 'RollingBack', at });
      await new Promise<void>(r => (finishRollback = r));
      o.onEvent?.({ type: 'phase', phase: 'Failed', at });
      throw new Error('final sync failed: connection refused');
    });
    let returned = false;
    const running = runTransfer({
      spec,
      source: kc,
      destination: kc,
      handOver: handOver.signal,
    }).finally(() => (returned = true));
    await new Promise(setImmediate);
    handOver.abort(new Error('the worker is stopping'));
    await new Promise(setImmediate);
    expect(returned).toBe(false);
    finishRollback!();
    const result = await running;
    expect(result).toMatchObject({
      outcome: 'failed',
      error: 'final sync failed: connection refused',
    });
    // it rolled back: a retry may start over
    expect(result.leftForResume).toBeUndefined();
  });

  it('says a failure left its objects for a resume when the flow gave up without rolling back', async () => {
    plan.mockResolvedValue(planned);
    // what the flows do when a cluster does not answer: Failed, with no rollback first
    copy.mockImplementation(async (o: CopyOptions) => {
      o.onEvent?.({ type: 'phase', phase: 'Quiescing', at });
      await o.onCheckpoint?.(checkpoint);
      o.onEvent?.({ type: 'phase', phase: 'Failed', at });
      throw new Error('cluster east did not answer within the outage budget');
    });
    expect(
      await runTransfer({ spec, source: kc, destination: kc }),
    ).toMatchObject({
      outcome: 'failed',
      pastPointOfNoReturn: false,
      leftForResume: true,
      checkpoint,
    });
  });

  it('rolls a resume cancelled before it starts back through its flow, from the checkpoint, without planning again', async () => {
    copy.mockImplementation(async (o: CopyOptions) => {
      expect(o.signal?.aborted).toBe(true);
      expect(o.checkpoint?.completedSteps).toEqual(['quiesce']);
      o.onEvent?.({ type: 'phase', phase: 'RollingBack', at });
      o.onEvent?.({ type: 'phase', phase: 'Cancelled', at });
      throw new Error('cancelled by the user');
    });
    const cancel = new AbortController();
    cancel.abort(new Error('cancelled by the user'));
    const r = await runTransfer({
      spec,
      source: kc,
      destination: kc,
      checkpoint: { ...checkpoint, completedSteps: ['quiesce'] },
      plan: planned.plan,
      signal: cancel.signal,
    });
    expect(r).toMatchObject({
      outcome: 'cancelled',
      pastPointOfNoReturn: false,
      error: 'cancelled by the user',
    });
    expect(copy).toHaveBeenCalledTimes(1);
    expect(plan).not.toHaveBeenCalled();
  });

  it('ends a resume of a checkpoint that gave its volume back as a failure to retry, touching nothing', async () => {
    const r = await runTransfer({
      spec: { ...spec, mode: 'rebind' },
      source: kc,
      destination: kc,
      checkpoint: { ...checkpoint, completedSteps: ['given-back'] },
      plan: { ...planned.plan, mode: 'rebind' },
    });
    expect(r).toMatchObject({
      outcome: 'failed',
      mode: 'rebind',
      pastPointOfNoReturn: false,
      givenBack: true,
      error: expect.stringMatching(/given back .* retry the transfer/),
    });
    expect(plan).not.toHaveBeenCalled();
  });

  it('never throws: a failure to plan is a failed outcome with the reason in one line, a cancel before it a cancel', async () => {
    plan.mockRejectedValue(new Error('forbidden: cannot list pods'));
    expect(
      await runTransfer({ spec, source: kc, destination: kc }),
    ).toMatchObject({
      outcome: 'failed',
      error: 'forbidden: cannot list pods',
      pastPointOfNoReturn: false,
    });
    // nothing was created: nothing to resume
    expect(
      (await runTransfer({ spec, source: kc, destination: kc })).leftForResume,
    ).toBeUndefined();
    const cancel = new AbortController();
    cancel.abort(new Error('cancelled by the user'));
    expect(
      await runTransfer({
        spec,
        source: kc,
        destination: kc,
        signal: cancel.signal,
      }),
    ).toMatchObject({ outcome: 'cancelled', error: 'cancelled by the user' });
    expect(plan).toHaveBeenCalledTimes(2);
  });
});
