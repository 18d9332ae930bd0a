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
      committed: false,
    });
  });

  it('retries a cluster that did not answer', () => {
    expect(decideFailure(run(unreachable()))).toMatchObject({
      action: 'retry',
      committed: false,
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

  it('never ends a run past the point of no return: retried whatever the error, without a limit', () => {
    const committed = checkpoint('preconditions', 'quiesce', 'delete-source');
    for (const error of [
      http(403),
      http(503),
      new TypeError('x is undefined'),
      new RebindRefusedError('t', []),
    ])
      expect(
        decideFailure(run(error, { checkpoint: committed, attempt: 9 })),
      ).toMatchObject({
        action: 'retry',
        committed: true,
        message: expect.stringContaining(
          'the volume has no claim until this finishes',
        ),
      });
    // a later run that got past it again from a given-back checkpoint is committed as well
    expect(
      decideFailure(
        run(http(403), {
          checkpoint: checkpoint(
            'given-back',
            'preconditions',
            'delete-source',
          ),
        }),
      ),
    ).toMatchObject({ action: 'retry', committed: true });
  });

  it('ends or retries by the error before the point of no return and after a give-back', () => {
    expect(
      decideFailure(
        run(http(403), { checkpoint: checkpoint('preconditions', 'quiesce') }),
      ),
    ).toMatchObject({ action: 'fail', reason: 'TransferFailed' });
    expect(
      decideFailure(run(http(500), { checkpoint: checkpoint('given-back') })),
    ).toMatchObject({ action: 'retry', committed: false });
    expect(
      decideFailure(
        run(http(500), { checkpoint: checkpoint('given-back'), attempt: 5 }),
      ),
    ).toMatchObject({ action: 'fail', reason: 'RetriesExhausted' });
  });
});
