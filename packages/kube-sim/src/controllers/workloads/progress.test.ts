import { deadlineIn, madeProgress, progressingCondition } from './progress';

const T0 = Date.parse('2024-01-01T00:00:00Z');

describe('Deployment progress', () => {
  it('detects progress like upstream', () => {
    expect(
      madeProgress(
        { replicas: 3, updatedReplicas: 1 },
        { replicas: 3, updatedReplicas: 2 },
      ),
    ).toBe(true);
    expect(
      madeProgress(
        { replicas: 4, updatedReplicas: 1 },
        { replicas: 3, updatedReplicas: 1 },
      ),
    ).toBe(true);
    expect(
      madeProgress(
        { replicas: 3, availableReplicas: 1 },
        { replicas: 3, availableReplicas: 1 },
      ),
    ).toBe(false);
  });

  it('reports a complete rollout, a stalled one within its deadline, and one past it', () => {
    const done = progressingCondition({
      rsName: 'web-1',
      complete: true,
      created: false,
      progressed: false,
      deadlineSeconds: 600,
      now: T0,
    });
    expect(done).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
    });
    const started = progressingCondition({
      prior: done,
      rsName: 'web-2',
      complete: false,
      created: false,
      progressed: false,
      deadlineSeconds: 600,
      now: T0,
    });
    expect(started).toMatchObject({
      status: 'True',
      reason: 'ReplicaSetUpdated',
      lastUpdateTime: '2024-01-01T00:00:00Z',
    });
    const stalled = progressingCondition({
      prior: started,
      rsName: 'web-2',
      complete: false,
      created: false,
      progressed: false,
      deadlineSeconds: 600,
      now: T0 + 599_000,
    });
    expect(stalled).toBe(started);
    expect(deadlineIn(started, 600, T0 + 599_000)).toBe(1100);
    const late = progressingCondition({
      prior: started,
      rsName: 'web-2',
      complete: false,
      created: false,
      progressed: false,
      deadlineSeconds: 600,
      now: T0 + 600_000,
    });
    expect(late).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: 'ReplicaSet "web-2" has timed out progressing.',
    });
    const resumed = progressingCondition({
      prior: late,
      rsName: 'web-2',
      complete: false,
      created: false,
      progressed: true,
      deadlineSeconds: 600,
      now: T0 + 700_000,
    });
    expect(resumed).toMatchObject({
      status: 'True',
      reason: 'ReplicaSetUpdated',
    });
  });
});
