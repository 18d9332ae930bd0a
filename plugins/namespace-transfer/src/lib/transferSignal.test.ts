import { toTransferSignal } from './transferSignal';

describe('toTransferSignal', () => {
  it('keeps the fields the contract names, with valid values only', () => {
    expect(
      toTransferSignal({
        id: 't1',
        state: 'running',
        phase: 'Syncing',
        progress: { bytesDone: 5, bytesTotal: 'ten', etaSeconds: null },
        extra: 'dropped',
      }),
    ).toEqual({
      id: 't1',
      state: 'running',
      phase: 'Syncing',
      progress: { bytesDone: 5 },
    });
  });

  it('drops a message without a transfer id and unknown states and phases', () => {
    expect(toTransferSignal({ state: 'running' })).toBeUndefined();
    expect(
      toTransferSignal({ id: 't1', state: 'done', phase: 'Copying' }),
    ).toEqual({ id: 't1' });
  });
});
