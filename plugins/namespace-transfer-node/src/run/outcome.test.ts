import type { TransferCheckpoint } from '@namespace-transfer/plugin-namespace-transfer-common';
import { unfinishedOutcome } from './outcome';
import { isPastPointOfNoReturn } from './pointOfNoReturn';

describe('unfinishedOutcome', () => {
  it.each([
    // a hand-over stops a flow in any step
    [
      { handedOver: true, cancelRequested: true, lastPhase: 'Staging' },
      'handed-over',
    ],
    [
      { handedOver: true, cancelRequested: false, lastPhase: 'Syncing' },
      'handed-over',
    ],
    [{ handedOver: true, cancelRequested: false }, 'handed-over'],
    // ... but not one that was already rolling back or giving up: it finished that
    [
      { handedOver: true, cancelRequested: true, lastPhase: 'Cancelled' },
      'cancelled',
    ],
    [
      { handedOver: true, cancelRequested: false, lastPhase: 'Failed' },
      'failed',
    ],
    // the flow rolled back for the cancel
    [
      { handedOver: false, cancelRequested: true, lastPhase: 'Cancelled' },
      'cancelled',
    ],
    // cancelled before the flow started (while planning)
    [{ handedOver: false, cancelRequested: true }, 'cancelled'],
    // a cancel the flow no longer honoured (past the point of no return): the failure it met
    [
      { handedOver: false, cancelRequested: true, lastPhase: 'Failed' },
      'failed',
    ],
    [
      { handedOver: false, cancelRequested: false, lastPhase: 'Failed' },
      'failed',
    ],
    // planning failed
    [{ handedOver: false, cancelRequested: false }, 'failed'],
  ] as const)('%j -> %s', (run, outcome) => {
    expect(unfinishedOutcome(run)).toBe(outcome);
  });
});

describe('isPastPointOfNoReturn', () => {
  const cp = (completedSteps: string[], past?: true): TransferCheckpoint => ({
    transferId: 't1',
    version: 1,
    phase: 'Finalizing',
    completedSteps,
    state: {},
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...(past ? { pastPointOfNoReturn: past } : {}),
  });
  const spec = (intent: 'move' | 'clone', verify?: 'none') => ({
    id: 't1',
    source: { cluster: 'east', namespace: 'shop', name: 'data' },
    destination: { cluster: 'west', namespace: 'shop', name: 'data' },
    mode: 'auto' as const,
    intent,
    ...(verify ? { options: { verify } } : {}),
  });

  it('reads what the runner recorded', () => {
    expect(isPastPointOfNoReturn(undefined)).toBe(false);
    expect(isPastPointOfNoReturn(cp([], true))).toBe(true);
    expect(isPastPointOfNoReturn(cp(['verify']))).toBe(false);
  });

  it('judges a checkpoint from before the field by its flow and steps', () => {
    const copyTo = (s: string) => [
      'provision-destination',
      'expose',
      'sync-final',
      ...(s === 'sync-final' ? [] : [s]),
    ];
    expect(isPastPointOfNoReturn(cp(copyTo('verify')), spec('clone'))).toBe(
      true,
    );
    expect(isPastPointOfNoReturn(cp(copyTo('verify')), spec('move'))).toBe(
      false,
    );
    expect(isPastPointOfNoReturn(cp(copyTo('finalize')), spec('move'))).toBe(
      true,
    );
    expect(
      isPastPointOfNoReturn(cp(copyTo('sync-final')), spec('clone', 'none')),
    ).toBe(true);
    expect(
      isPastPointOfNoReturn(cp(['preconditions', 'quiesce']), spec('move')),
    ).toBe(false);
    expect(
      isPastPointOfNoReturn(
        cp(['preconditions', 'quiesce', 'delete-source']),
        spec('move'),
      ),
    ).toBe(true);
  });
});
