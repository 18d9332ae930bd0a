import type { TransferCheckpoint } from '@namespace-transfer/plugin-namespace-transfer-common';
import { ClusterUnreachableError, INTERACTIVE_POLICY } from '../clusters';
import { RebindRefusedError } from '../rebind';
import { decideFailure, type FailedRun } from './outcome';

const http = (code: number) =>
  Object.assign(new Error(`HTTP ${code}`), { code });
const run = (error: unknown, o: Partial<FailedRun> = {}): FailedRun => ({
  error,
  attempt: 1,
  maxAttempts: 5,
  stopped: false,
  ...o,
});
const checkpoint = (...completedSteps: string[]) =>
  ({
    transferId: 't',
    completedSteps,
    state: {},
    updatedAt: 'now',
  }) as unknown as TransferCheckpoint;
const unreachable = () =>
  new ClusterUnreachableError(
    'east',
    Date.now(),
    INTERACTIVE_POLICY,
    Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  );

describe('decideFailure', () => {
  it('hands a stopped run over whatever it threw', () => {
    expect(decideFailure(run(http(500), { stopped: true }))).toEqual({
      action: 'handOver',
    });
  });

  it('ends a refusal: DestinationClaimRefused only when the adopted claim alone did not fit', () => {
    const claim = {
      precondition: 'DestinationClaimFits',
      message: 'requests 2Gi, the volume has 1Gi',
    } as never;
    const busy = { precondition: 'NotInUse', message: 'pod p' } as never;
    expect(decideFailure(run(new RebindRefusedError('t', [claim])))).toEqual({
      action: 'fail',
      reason: 'DestinationClaimRefused',
      message: 'DestinationClaimFits: requests 2Gi, the volume has 1Gi',
    });
    expect(
      decideFailure(run(new RebindRefusedError('t', [claim, busy]))),
    ).toMatchObject({ action: 'fail', reason: 'PreconditionsFailed' });
  });

  it.each([429, 500, 503, 409])('retries HTTP %i', code => {
    expect(decideFailure(run(http(code)))).toMatchObject({
      action: 'retry',
      keepCheckpoint: false,
    });
  });

  it('fails a lasting error at once (403, a bug)', () => {
    expect(decideFailure(run(http(403)))).toMatchObject({
      action: 'fail',
      reason: 'TransferFailed',
    });
    expect(decideFailure(run(new TypeError('x is undefined')))).toMatchObject({
      action: 'fail',
      reason: 'TransferFailed',
    });
  });

  it('gives up after maxAttempts', () => {
    expect(decideFailure(run(http(503), { attempt: 5 }))).toMatchObject({
      action: 'fail',
      reason: 'RetriesExhausted',
      message: expect.stringContaining('gave up after 5 attempts'),
    });
  });

  it('keeps the checkpoint only when the run left it to resume', () => {
    // rolled back before the point of no return: its steps were undone
    expect(
      decideFailure(
        run(http(503), { checkpoint: checkpoint('preconditions', 'retain') }),
      ),
    ).toMatchObject({ keepCheckpoint: false });
    // a cluster away: the engine put nothing back
    expect(
      decideFailure(
        run(unreachable(), { checkpoint: checkpoint('preconditions') }),
      ),
    ).toMatchObject({ action: 'retry', keepCheckpoint: true });
    // still past the point of no return: the give-back did not finish
    expect(
      decideFailure(
        run(http(500), {
          checkpoint: checkpoint('preconditions', 'delete-source'),
        }),
      ),
    ).toMatchObject({ keepCheckpoint: true });
    // given back: the checkpoint says only that, and the next attempt starts over
    expect(
      decideFailure(run(http(500), { checkpoint: checkpoint('given-back') })),
    ).toMatchObject({ keepCheckpoint: false });
  });
});
