import { sampleEvent } from '../../lib/testing';
import { eventText } from './eventText';

describe('eventText', () => {
  it.each([
    [
      'state',
      {
        from: 'pending-approval',
        to: 'approved',
        action: 'approve',
        actor: 'user:default/bob',
        attempt: 1,
      },
      'Pending approval → Approved (approve by user:default/bob)',
    ],
    [
      'state',
      { from: 'failed', to: 'approved', action: 'retry', attempt: 2 },
      'Failed → Approved (retry) attempt 2',
    ],
    ['phase', { phase: 'Syncing' }, 'Phase Syncing'],
    [
      'progress',
      { bytesDone: 1024, bytesTotal: 2048, rateBytesPerSecond: 512 },
      '1.0 KiB of 2.0 KiB at 512 B/s',
    ],
    ['progress', { bytesDone: 1024 }, '1.0 KiB copied'],
    [
      'decision',
      { kind: 'reject', actor: 'user:default/carol', comment: 'not now' },
      'user:default/carol: reject — “not now”',
    ],
    [
      'error',
      { message: 'the mover exited with 23' },
      'the mover exited with 23',
    ],
  ] as const)('%s %j', (kind, payload, expected) => {
    expect(eventText(sampleEvent('t1', 1, kind, payload))).toBe(expected);
  });
});
