import {
  ACTIVE_TRANSFER_STATES,
  ENDED_TRANSFER_STATES,
  FINAL_TRANSFER_STATES,
  isActiveTransferState,
  isEndedTransferState,
  isFinalTransferState,
  isTransferState,
  listQuerySchema,
  TRANSFER_STATES,
} from '.';

describe('the transfer states', () => {
  it('sort every state into exactly one of waiting for a decision, active and ended', () => {
    const waiting = TRANSFER_STATES.filter(
      s => !isActiveTransferState(s) && !isEndedTransferState(s),
    );
    expect(waiting).toEqual(['pending-approval']);
    expect(TRANSFER_STATES.filter(isActiveTransferState)).toEqual([
      ...ACTIVE_TRANSFER_STATES,
    ]);
    expect(
      ACTIVE_TRANSFER_STATES.filter(s => ENDED_TRANSFER_STATES.includes(s)),
    ).toEqual([]);
  });

  // a failed or cancelled transfer ended its attempt but may still be retried: final is the stricter fact
  it('count only what is never left as final, and every final state as ended', () => {
    expect(TRANSFER_STATES.filter(isFinalTransferState)).toEqual([
      'succeeded',
      'rejected',
      'expired',
    ]);
    expect(FINAL_TRANSFER_STATES.every(isEndedTransferState)).toBe(true);
    expect(isEndedTransferState('failed')).toBe(true);
    expect(isFinalTransferState('failed')).toBe(false);
    expect(isEndedTransferState('cancelled')).toBe(true);
    expect(isFinalTransferState('cancelled')).toBe(false);
  });

  it.each([
    ['running', true],
    ['pending-approval', true],
    ['Running', false],
    ['', false],
    [undefined, false],
    [3, false],
    [['running'], false],
  ])('isTransferState(%p) is %p', (value, expected) => {
    expect(isTransferState(value)).toBe(expected);
  });

  it('are the list the list query validates against', () => {
    const all = listQuerySchema.parse({ state: TRANSFER_STATES.join(',') });
    expect(all.state).toEqual([...TRANSFER_STATES]);
    const refused = listQuerySchema.safeParse({ state: 'done' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0].message).toBe(
      `state must be one of ${TRANSFER_STATES.join(', ')}`,
    );
  });
});
