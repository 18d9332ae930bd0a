import type { TransferCheckpoint } from '@namespace-transfer/plugin-namespace-transfer-common';
import { createStepRunner, type StepEvent } from './runner';

function recorder() {
  const events: StepEvent[] = [];
  const checkpoints: TransferCheckpoint[] = [];
  return {
    events,
    checkpoints,
    onEvent: (e: StepEvent) => events.push(e),
    onCheckpoint: (c: TransferCheckpoint) => {
      checkpoints.push(c);
    },
  };
}

const brief = (e: StepEvent) =>
  e.type === 'phase' ? `phase:${e.phase}` : `step:${e.step}`;

describe('createStepRunner', () => {
  it('starts a fresh checkpoint for the transfer', () => {
    const { checkpoint } = createStepRunner({ transferId: 't1' });
    expect(checkpoint).toEqual({
      transferId: 't1',
      version: 1,
      phase: 'Pending',
      completedSteps: [],
      state: {},
      updatedAt: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(checkpoint.updatedAt))).toBe(false);
  });

  it('refuses a checkpoint of another transfer or another version', () => {
    const other: TransferCheckpoint = {
      transferId: 'other',
      version: 1,
      phase: 'Staging',
      completedSteps: [],
      state: {},
      updatedAt: new Date().toISOString(),
    };
    expect(() =>
      createStepRunner({ transferId: 't1', checkpoint: other }),
    ).toThrow('checkpoint belongs to transfer other');
    const future = {
      ...other,
      transferId: 't1',
      version: 2,
    } as unknown as TransferCheckpoint;
    expect(() =>
      createStepRunner({ transferId: 't1', checkpoint: future }),
    ).toThrow('checkpoint version 2 is not supported');
  });

  it('runs steps in order, reporting a phase only when it changes, then the step, then the checkpoint', async () => {
    const r = recorder();
    const order: string[] = [];
    const runner = createStepRunner({
      transferId: 't1',
      onEvent: e => {
        r.onEvent(e);
        order.push(brief(e));
      },
      onCheckpoint: c => {
        r.onCheckpoint(c);
        order.push(`checkpoint:${c.completedSteps.join(',')}`);
      },
    });
    expect(await runner.step('a', 'Provisioning', async () => 1)).toBe(1);
    expect(await runner.step('b', 'Provisioning', async () => 'x')).toBe('x');
    await runner.step('c', 'Syncing', async () => undefined);
    expect(order).toEqual([
      'phase:Provisioning',
      'step:a',
      'checkpoint:a',
      'step:b',
      'checkpoint:a,b',
      'phase:Syncing',
      'step:c',
      'checkpoint:a,b,c',
    ]);
    // no undefined in JSON: a step without a result is recorded as null
    expect(runner.checkpoint.state).toEqual({ a: 1, b: 'x', c: null });
    expect(runner.checkpoint.phase).toBe('Syncing');
    // each handed-out checkpoint is a snapshot, not the live one
    expect(r.checkpoints[0].completedSteps).toEqual(['a']);
    expect(r.checkpoints[2]).not.toBe(runner.checkpoint);
    expect(r.checkpoints[2]).toEqual(runner.checkpoint);
    const stepEvent = r.events.find(e => e.type === 'step' && e.step === 'c');
    expect(stepEvent).toEqual({
      type: 'step',
      step: 'c',
      at: runner.checkpoint.updatedAt,
    });
  });

  it('skips finished steps of a given checkpoint and returns what they recorded', async () => {
    const given: TransferCheckpoint = {
      transferId: 't1',
      version: 1,
      phase: 'Provisioning',
      completedSteps: ['a'],
      state: { a: { address: '10.0.0.1' } },
      updatedAt: '2020-01-01T00:00:00.000Z',
    };
    const r = recorder();
    const runner = createStepRunner({
      transferId: 't1',
      checkpoint: given,
      ...r,
    });
    const fn = jest.fn(async () => ({ address: 'new' }));
    expect(await runner.step('a', 'Provisioning', fn)).toEqual({
      address: '10.0.0.1',
    });
    expect(fn).not.toHaveBeenCalled();
    expect(r.events).toEqual([]);
    expect(r.checkpoints).toEqual([]);
    expect(runner.done('a')).toBe(true);
    expect(runner.done('b')).toBe(false);
    await runner.step('b', 'Provisioning', async () => 2);
    expect(runner.checkpoint.completedSteps).toEqual(['a', 'b']);
    // the caller's checkpoint is never changed
    expect(given.completedSteps).toEqual(['a']);
  });

  it('does not record a step that throws', async () => {
    const r = recorder();
    const runner = createStepRunner({ transferId: 't1', ...r });
    await expect(
      runner.step('a', 'Syncing', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(runner.checkpoint.completedSteps).toEqual([]);
    expect(r.events.map(brief)).toEqual(['phase:Syncing']);
    expect(r.checkpoints).toEqual([]);
  });

  it('honours a cancel only before steps the flow calls cancellable', async () => {
    const abort = new AbortController();
    const seen: string[][] = [];
    const runner = createStepRunner({
      transferId: 't1',
      signal: abort.signal,
      cancellable: (name, done) => {
        seen.push([name, String(done('a'))]);
        return !done('a');
      },
    });
    abort.abort();
    const fn = jest.fn(async () => 1);
    await expect(runner.step('a', 'Staging', fn)).rejects.toThrow();
    expect(fn).not.toHaveBeenCalled();
    expect(runner.checkpoint.phase).toBe('Pending');

    const past = createStepRunner({
      transferId: 't1',
      checkpoint: { ...runner.checkpoint, completedSteps: ['a'] },
      signal: abort.signal,
      cancellable: (_, done) => !done('a'),
    });
    expect(await past.step('b', 'Finalizing', fn)).toBe(1);
    expect(seen).toEqual([['a', 'false']]);
  });

  it('honours a cancel before every step when the flow sets no limit', async () => {
    const abort = new AbortController();
    const runner = createStepRunner({ transferId: 't1', signal: abort.signal });
    await runner.step('a', 'Staging', async () => 1);
    abort.abort(new Error('stop'));
    await expect(runner.step('b', 'Staging', async () => 2)).rejects.toThrow(
      'stop',
    );
    expect(runner.checkpoint.completedSteps).toEqual(['a']);
  });

  it('is committed once its point of no return is done, and then no longer cancellable', async () => {
    const abort = new AbortController();
    const runner = createStepRunner<'copy' | 'mark' | 'cleanup'>({
      transferId: 't1',
      signal: abort.signal,
      pointOfNoReturn: 'mark',
    });
    await runner.step('copy', 'Syncing', async () => 1);
    expect(runner.committed()).toBe(false);
    await runner.step('mark', 'Finalizing', async () => 2);
    expect(runner.committed()).toBe(true);
    abort.abort(new Error('stop'));
    // past the point of no return a cancel is not honoured: the flow finishes
    expect(await runner.step('cleanup', 'CleaningUp', async () => 3)).toBe(3);
    // a resumed runner reads the commitment from its checkpoint
    const resumed = createStepRunner({
      transferId: 't1',
      checkpoint: runner.checkpoint,
      pointOfNoReturn: 'mark',
    });
    expect(resumed.committed()).toBe(true);
    const before = createStepRunner<'copy' | 'mark'>({
      transferId: 't1',
      signal: abort.signal,
      pointOfNoReturn: 'mark',
    });
    await expect(before.step('copy', 'Syncing', async () => 1)).rejects.toThrow(
      'stop',
    );
    expect(before.committed()).toBe(false);
  });

  it('records the point of no return in the checkpoint it hands on, and reads it from an older one', async () => {
    const r = recorder();
    const runner = createStepRunner<'copy' | 'mark' | 'cleanup'>({
      transferId: 't1',
      onCheckpoint: r.onCheckpoint,
      pointOfNoReturn: 'mark',
    });
    await runner.step('copy', 'Syncing', async () => 1);
    await runner.step('mark', 'Finalizing', async () => 2);
    await runner.step('cleanup', 'CleaningUp', async () => 3);
    expect(r.checkpoints.map(c => c.pastPointOfNoReturn)).toEqual([
      undefined,
      true,
      true,
    ]);
    const { pastPointOfNoReturn: _, ...older } = r.checkpoints[1];
    const resumed = createStepRunner({
      transferId: 't1',
      checkpoint: older,
      pointOfNoReturn: 'mark',
    });
    expect(resumed.checkpoint.pastPointOfNoReturn).toBe(true);
  });

  it('hands over at the next step past the point of no return too, and records no step that ends after it', async () => {
    const r = recorder();
    const handOver = new AbortController();
    const runner = createStepRunner<'copy' | 'mark' | 'cleanup'>({
      transferId: 't1',
      onCheckpoint: r.onCheckpoint,
      handOver: handOver.signal,
      pointOfNoReturn: 'copy',
    });
    await runner.step('copy', 'Syncing', async () => 1);
    // the step in flight ends after the hand-over: whoever took over may have run it already
    await expect(
      runner.step('mark', 'Finalizing', async () => {
        handOver.abort(new Error('handed over'));
        return 2;
      }),
    ).rejects.toThrow('handed over');
    let ran = false;
    await expect(
      runner.step('cleanup', 'CleaningUp', async () => {
        ran = true;
      }),
    ).rejects.toThrow('handed over');
    expect(ran).toBe(false);
    expect(r.checkpoints.map(c => c.completedSteps)).toEqual([['copy']]);
    expect(runner.checkpoint.completedSteps).toEqual(['copy']);
  });

  it('a stop is honoured before the point of no return starts, records the step in flight, and is ignored from then on', async () => {
    type S = 'quiesce' | 'delete' | 'bind';
    const early = new AbortController();
    const r = recorder();
    const runner = createStepRunner<S>({
      transferId: 't1',
      onCheckpoint: r.onCheckpoint,
      stopBeforePointOfNoReturn: early.signal,
      pointOfNoReturn: 'delete',
    });
    await runner.step('quiesce', 'Quiescing', async () => {
      early.abort(new Error('shutting down'));
      return 1;
    });
    expect(runner.stopped()).toBe(true);
    let ran = false;
    await expect(
      runner.step('delete', 'Rebinding', async () => {
        ran = true;
      }),
    ).rejects.toThrow('shutting down');
    expect(ran).toBe(false);
    expect(r.checkpoints.map(c => c.completedSteps)).toEqual([['quiesce']]);

    // stopped while the point of no return runs: the run goes on to the end
    const late = new AbortController();
    const later = createStepRunner<S>({
      transferId: 't2',
      stopBeforePointOfNoReturn: late.signal,
      pointOfNoReturn: 'delete',
    });
    await later.step('quiesce', 'Quiescing', async () => 1);
    await later.step('delete', 'Rebinding', async () => {
      late.abort(new Error('shutting down'));
    });
    expect(later.stopped()).toBe(false);
    await later.step('bind', 'Rebinding', async () => 2);
    expect(later.checkpoint.completedSteps).toEqual([
      'quiesce',
      'delete',
      'bind',
    ]);

    // a resumed run past the point of no return ignores a stop given aborted
    const resumed = createStepRunner<S>({
      transferId: 't2',
      checkpoint: {
        ...later.checkpoint,
        completedSteps: ['quiesce', 'delete'],
      },
      stopBeforePointOfNoReturn: AbortSignal.abort(),
      pointOfNoReturn: 'delete',
    });
    expect(resumed.stopped()).toBe(false);
    await expect(
      resumed.step('bind', 'Rebinding', async () => 3),
    ).resolves.toBe(3);
  });
});
