import { ConflictError } from '@backstage/errors';
import {
  statesAllowing,
  transition,
  TRANSFER_ACTIONS,
  TRANSFER_STATES,
  TransferAction,
  TransferState,
  TransitionFacts,
  TransitionOutcome,
} from './states';

const S = (state: TransferState, more: Partial<TransitionFacts> = {}) => ({
  state,
  pastPointOfNoReturn: false,
  cancelRequested: false,
  hasRun: true,
  ...more,
});

/**
 * The workflow of issue 16, written out by hand: for each action, the outcome from each state it is legal
 * in (plain facts: before the point of no return, no cancel requested). Every other pair must be a 409.
 */
const LEGAL: Record<
  TransferAction,
  Partial<Record<TransferState, TransitionOutcome>>
> = {
  approve: { 'pending-approval': { state: 'approved' } },
  reject: { 'pending-approval': { state: 'rejected' } },
  expire: { 'pending-approval': { state: 'expired' } },
  cancel: {
    'pending-approval': { state: 'cancelled' },
    approved: { state: 'cancelled' },
    running: { state: 'running', cancelRequested: true },
    staged: { state: 'staged', cancelRequested: true },
  },
  retry: {
    failed: { state: 'approved', newAttempt: true },
    cancelled: { state: 'approved', newAttempt: true },
  },
  // resume needs a failure past the point of no return: nothing here (plain facts) allows it
  resume: {},
  cutover: { staged: { state: 'staged', cutoverNow: true } },
  start: { approved: { state: 'running' }, staged: { state: 'running' } },
  stage: { running: { state: 'staged' } },
  succeed: { running: { state: 'succeeded' } },
  fail: { running: { state: 'failed' } },
  // a roll-back follows a requested cancel only: nothing here allows it
  'roll-back': {},
  'ask-again': { running: { state: 'pending-approval' } },
};

describe('the transition table', () => {
  const pairs = TRANSFER_ACTIONS.flatMap(action =>
    TRANSFER_STATES.map(state => [action, state] as const),
  );

  it('covers every action and state', () => {
    expect(Object.keys(LEGAL).sort()).toEqual([...TRANSFER_ACTIONS].sort());
    expect(pairs).toHaveLength(
      TRANSFER_ACTIONS.length * TRANSFER_STATES.length,
    );
  });

  const legal = pairs.filter(([action, state]) => LEGAL[action][state]);
  const illegal = pairs.filter(([action, state]) => !LEGAL[action][state]);
  // of the illegal pairs, those the state alone rules out (the rest need other facts, e.g. a cancel)
  const wrongState = illegal.filter(
    ([action, state]) => !statesAllowing(action).includes(state),
  );

  it.each(legal)('%s from %s is allowed', (action, state) => {
    expect(transition(action, S(state))).toEqual(LEGAL[action][state]);
  });

  it.each(illegal)('%s from %s is a 409', (action, state) => {
    expect(() => transition(action, S(state))).toThrow(ConflictError);
  });

  // a 409 that names where the transfer is, so the caller knows what to do instead
  it.each(wrongState)('%s from %s names the state', (action, state) => {
    expect(() => transition(action, S(state))).toThrow(
      `cannot ${action}: the transfer is ${state}; ${action} is possible only when it is`,
    );
  });

  it('rules out by state all but the fact-dependent refusals', () => {
    expect(
      illegal.filter(p => !wrongState.includes(p)).map(p => p.join(' from ')),
    ).toEqual([
      'cancel from failed',
      'resume from failed',
      'roll-back from running',
      'roll-back from staged',
    ]);
  });

  it('keeps failed and cancelled transfers retryable and the others final', () => {
    const leaving = (state: TransferState) =>
      TRANSFER_ACTIONS.filter(a => LEGAL[a][state]);
    expect(leaving('succeeded')).toEqual([]);
    expect(leaving('rejected')).toEqual([]);
    expect(leaving('expired')).toEqual([]);
    expect(leaving('failed')).toEqual(['retry']);
    expect(leaving('cancelled')).toEqual(['retry']);
  });
});

describe('the point of no return', () => {
  const past = (state: TransferState) =>
    S(state, { pastPointOfNoReturn: true });

  it.each(['running', 'staged'] as const)(
    'refuses a cancel of a %s transfer past it, saying why',
    state => {
      expect(() => transition('cancel', past(state))).toThrow(
        /cannot cancel: the transfer is past its point of no return \(rolling back would lose data\)/,
      );
    },
  );

  it('turns a retry of a failure past it into a resume', () => {
    expect(() => transition('retry', past('failed'))).toThrow(
      /failed after its point of no return: resume it instead of retrying/,
    );
    expect(transition('resume', past('failed'))).toEqual({ state: 'approved' });
  });

  it('refuses to resume a failure that was rolled back', () => {
    expect(() => transition('resume', S('failed'))).toThrow(
      /before its point of no return and was rolled back: retry it instead/,
    );
    expect(() => transition('resume', S('cancelled'))).toThrow(
      /the transfer is cancelled; resume is possible only when it is failed/,
    );
  });

  it('does not send a committed transfer back for approval', () => {
    expect(() => transition('ask-again', past('running'))).toThrow(
      /past its point of no return/,
    );
  });
});

describe('a failure that was not rolled back (a cluster did not answer)', () => {
  const left = S('failed', { leftForResume: true });

  it('is resumed, not retried, saying why', () => {
    expect(() => transition('retry', left)).toThrow(
      /stopped without rolling back because a cluster did not answer.*resume it to continue, or cancel it to roll back/,
    );
    expect(transition('resume', left)).toEqual({ state: 'approved' });
  });

  it('is cancelled through the worker, which rolls it back from its checkpoint', () => {
    expect(transition('cancel', left)).toEqual({
      state: 'approved',
      cancelRequested: true,
    });
  });

  it('leaves nothing to cancel once a failure was rolled back', () => {
    expect(() => transition('cancel', S('failed'))).toThrow(
      /failed and was rolled back: there is nothing to cancel \(retry it to start over\)/,
    );
  });
});

describe('a retry', () => {
  it('of a request cancelled before it ran goes back to its owners', () => {
    expect(transition('retry', S('cancelled', { hasRun: false }))).toEqual({
      state: 'pending-approval',
      newAttempt: true,
    });
  });
});

describe('an approval', () => {
  it('keeps the request waiting while more distinct approvals are required', () => {
    expect(
      transition('approve', S('pending-approval', { approvalsMissing: 1 })),
    ).toEqual({ state: 'pending-approval' });
    expect(
      transition('approve', S('pending-approval', { approvalsMissing: 0 })),
    ).toEqual({ state: 'approved' });
  });
});

describe('a requested cancel', () => {
  const requested = (state: TransferState) =>
    S(state, { cancelRequested: true });

  it.each(['running', 'staged'] as const)(
    'lets the worker roll a %s transfer back to cancelled',
    state => {
      expect(transition('roll-back', requested(state))).toEqual({
        state: 'cancelled',
      });
    },
  );

  it('is not asked twice, and blocks a cut over', () => {
    expect(() => transition('cancel', requested('running'))).toThrow(
      /a cancel is already under way/,
    );
    expect(() => transition('cutover', requested('staged'))).toThrow(
      /cannot cutover: a cancel is under way/,
    );
  });

  it('rolls nothing back without one', () => {
    expect(() => transition('roll-back', S('running'))).toThrow(
      /no cancel was requested/,
    );
  });
});
