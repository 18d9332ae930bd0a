import type { Condition } from '../kube/types';

export interface Counts {
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
}

/** DeploymentProgressing upstream: more updated/ready/available pods, or fewer old ones, than last time. */
export function madeProgress(before: Counts, after: Counts): boolean {
  const old = (c: Counts) => (c.replicas ?? 0) - (c.updatedReplicas ?? 0);
  return (
    (after.updatedReplicas ?? 0) > (before.updatedReplicas ?? 0) ||
    old(after) < old(before) ||
    (after.readyReplicas ?? 0) > (before.readyReplicas ?? 0) ||
    (after.availableReplicas ?? 0) > (before.availableReplicas ?? 0)
  );
}

export interface ProgressInput {
  prior?: Condition;
  rsName?: string;
  complete: boolean;
  created: boolean;
  progressed: boolean;
  /** spec.progressDeadlineSeconds (the API server defaults it to 600) */
  deadlineSeconds?: number;
  now: number;
}

/**
 * The Deployment's Progressing condition: NewReplicaSetAvailable when the rollout is complete,
 * NewReplicaSetCreated/ReplicaSetUpdated while it advances (lastUpdateTime marks the last progress), and
 * False/ProgressDeadlineExceeded once nothing moved for progressDeadlineSeconds.
 */
export function progressingCondition(p: ProgressInput): Condition {
  const iso = new Date(Math.floor(p.now / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
  const make = (
    status: string,
    reason: string,
    message: string,
  ): Condition => ({
    type: 'Progressing',
    status,
    reason,
    message,
    lastUpdateTime:
      p.prior?.reason === reason && p.prior.status === status && !p.progressed
        ? (p.prior.lastUpdateTime ?? iso)
        : iso,
    lastTransitionTime:
      p.prior?.status === status ? (p.prior.lastTransitionTime ?? iso) : iso,
  });
  if (p.complete)
    return make(
      'True',
      'NewReplicaSetAvailable',
      `ReplicaSet "${p.rsName}" has successfully progressed.`,
    );
  if (p.created)
    return make(
      'True',
      'NewReplicaSetCreated',
      `Created new replica set "${p.rsName}"`,
    );
  const prior = p.prior;
  if (p.progressed || !prior || prior.reason === 'NewReplicaSetAvailable') {
    return {
      ...make(
        'True',
        'ReplicaSetUpdated',
        `ReplicaSet "${p.rsName}" is progressing.`,
      ),
      lastUpdateTime: iso,
    };
  }
  if (prior.status === 'False') return prior;
  const since = Date.parse(
    prior.lastUpdateTime ?? prior.lastTransitionTime ?? '',
  );
  if (
    p.deadlineSeconds !== undefined &&
    !Number.isNaN(since) &&
    since + p.deadlineSeconds * 1000 <= p.now
  ) {
    return make(
      'False',
      'ProgressDeadlineExceeded',
      `ReplicaSet "${p.rsName}" has timed out progressing.`,
    );
  }
  return prior;
}

/** When the deadline of a stalled rollout will pass, for a requeue. */
export function deadlineIn(
  c: Condition,
  deadlineSeconds: number | undefined,
  now: number,
): number | undefined {
  if (
    deadlineSeconds === undefined ||
    c.status !== 'True' ||
    c.reason === 'NewReplicaSetAvailable'
  )
    return undefined;
  const since = Date.parse(c.lastUpdateTime ?? '');
  return Number.isNaN(since)
    ? undefined
    : Math.max(0, since + deadlineSeconds * 1000 - now) + 100;
}
