import { ConflictError } from '@backstage/errors';
import {
  ENDED_TRANSFER_STATES,
  FINAL_TRANSFER_STATES,
  type TransferState,
} from '@namespace-transfer/plugin-namespace-transfer-common';

// The states live in common (the API schemas and the portal use them); this file re-exports them under the
// names the backend has always used. The transitions stay here: only the backend applies them.
export {
  TRANSFER_STATES,
  isTransferState,
} from '@namespace-transfer/plugin-namespace-transfer-common';
export type { TransferState } from '@namespace-transfer/plugin-namespace-transfer-common';

/** States a transfer never leaves. */
export const FINAL_STATES = FINAL_TRANSFER_STATES;

/** States that end an attempt: the transfer's `finishedAt` is set when it enters one. */
export const ENDED_STATES = ENDED_TRANSFER_STATES;

/** What people decide (recorded as decisions, with actor and the ownership that allowed it). */
export const DECISION_KINDS = [
  'approve',
  'reject',
  'cancel',
  'retry',
  'resume',
  'cutover',
] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** What the worker and the janitor do. `start` is the lease claim. */
export const SYSTEM_ACTIONS = [
  'start',
  'stage',
  'succeed',
  'fail',
  'roll-back',
  'ask-again',
  'expire',
] as const;
export type SystemAction = (typeof SYSTEM_ACTIONS)[number];

export type TransferAction = DecisionKind | SystemAction;
export const TRANSFER_ACTIONS: readonly TransferAction[] = [
  ...DECISION_KINDS,
  ...SYSTEM_ACTIONS,
];

/** The facts of a transfer the table needs besides its state. */
export interface TransitionFacts {
  state: TransferState;
  /** the engine's checkpoint says rolling back would lose data: cancel is refused, a failure is resumed */
  pastPointOfNoReturn: boolean;
  /**
   * a failure before the point of no return that did not roll back (a cluster did not answer): its objects
   * and stopped workloads are on the clusters, so it is resumed or cancelled (rolled back), never retried
   */
  leftForResume?: boolean;
  /** a cancel was recorded while the transfer held (or could hold) engine objects; the worker rolls back */
  cancelRequested: boolean;
  /** an attempt has started (an approved request ran): a retry keeps that approval */
  hasRun: boolean;
  /** for approve: distinct approvals still missing besides this one (config may ask for more than one) */
  approvalsMissing?: number;
}

/**
 * Where an action leads. `state` may equal the current state: a cancel of a running transfer is recorded
 * (`cancelRequested`) and the worker that runs it rolls back and then moves it with `roll-back`.
 */
export interface TransitionOutcome {
  state: TransferState;
  cancelRequested?: true;
  /** retry: a new attempt (attempt + 1, a new engine id, no checkpoint) */
  newAttempt?: true;
  /** cut over: the worker may claim the staged transfer now */
  cutoverNow?: true;
}

interface Rule {
  from: readonly TransferState[];
  /** a refusal that the state alone does not explain, e.g. the point of no return */
  refuse?: (f: TransitionFacts) => string | undefined;
  outcome: (f: TransitionFacts) => TransitionOutcome;
}

const pastPointOfNoReturn = (f: TransitionFacts) =>
  f.pastPointOfNoReturn
    ? 'the transfer is past its point of no return (rolling back would lose data): it can only be finished'
    : undefined;

/**
 * The workflow of one transfer as a pure table: which action may move a transfer from which state, and where
 * it lands. The store applies the outcome with a conditional update; the router maps the ConflictError to 409.
 */
const RULES: Record<TransferAction, Rule> = {
  approve: {
    from: ['pending-approval'],
    // an approval short of the required number is recorded and the request keeps waiting
    outcome: f =>
      (f.approvalsMissing ?? 0) > 0
        ? { state: 'pending-approval' }
        : { state: 'approved' },
  },
  reject: {
    from: ['pending-approval'],
    outcome: () => ({ state: 'rejected' }),
  },
  cancel: {
    from: ['pending-approval', 'approved', 'running', 'staged', 'failed'],
    refuse: f =>
      pastPointOfNoReturn(f) ??
      (f.cancelRequested ? 'a cancel is already under way' : undefined) ??
      (f.state === 'failed' && !f.leftForResume
        ? 'the transfer failed and was rolled back: there is nothing to cancel (retry it to start over)'
        : undefined),
    // running and staged transfers have objects on the clusters: the worker rolls them back first; a
    // failure left for a resume goes back to the worker, which rolls it back from its checkpoint
    outcome: f => {
      if (f.state === 'running' || f.state === 'staged')
        return { state: f.state, cancelRequested: true };
      if (f.state === 'failed')
        return { state: 'approved', cancelRequested: true };
      return { state: 'cancelled' };
    },
  },
  retry: {
    from: ['failed', 'cancelled'],
    refuse: f => {
      if (f.pastPointOfNoReturn)
        return 'the transfer failed after its point of no return: resume it instead of retrying';
      if (f.leftForResume)
        return 'the transfer stopped without rolling back because a cluster did not answer, and its objects and stopped workloads are still on the clusters: resume it to continue, or cancel it to roll back';
      return undefined;
    },
    // a request cancelled before it ran was never approved to run: a retry asks its owners first
    outcome: f => ({
      state: f.hasRun ? 'approved' : 'pending-approval',
      newAttempt: true,
    }),
  },
  resume: {
    from: ['failed'],
    refuse: f =>
      f.pastPointOfNoReturn || f.leftForResume
        ? undefined
        : 'the transfer failed before its point of no return and was rolled back: retry it instead',
    outcome: () => ({ state: 'approved' }),
  },
  cutover: {
    from: ['staged'],
    refuse: f => (f.cancelRequested ? 'a cancel is under way' : undefined),
    outcome: () => ({ state: 'staged', cutoverNow: true }),
  },
  start: {
    from: ['approved', 'staged'],
    outcome: () => ({ state: 'running' }),
  },
  stage: {
    from: ['running'],
    outcome: () => ({ state: 'staged' }),
  },
  succeed: {
    from: ['running'],
    outcome: () => ({ state: 'succeeded' }),
  },
  fail: {
    from: ['running'],
    outcome: () => ({ state: 'failed' }),
  },
  'roll-back': {
    from: ['running', 'staged'],
    refuse: f =>
      pastPointOfNoReturn(f) ??
      (f.cancelRequested ? undefined : 'no cancel was requested'),
    outcome: () => ({ state: 'cancelled' }),
  },
  // the plan changed in substance between approval and start: the owners decide again
  'ask-again': {
    from: ['running'],
    refuse: pastPointOfNoReturn,
    outcome: () => ({ state: 'pending-approval' }),
  },
  expire: {
    from: ['pending-approval'],
    outcome: () => ({ state: 'expired' }),
  },
};

/** The states an action may start from (the store's conditional update uses them). */
export function statesAllowing(
  action: TransferAction,
): readonly TransferState[] {
  return RULES[action].from;
}

/** Why `action` is refused for a transfer with these facts, or undefined when it is allowed. */
export function refusal(
  action: TransferAction,
  facts: TransitionFacts,
): string | undefined {
  const rule = RULES[action];
  if (!rule.from.includes(facts.state))
    return `the transfer is ${facts.state}; ${action} is possible only when it is ${rule.from.join(' or ')}`;
  return rule.refuse?.(facts);
}

/**
 * Why `actor` may not approve a request that `approvedBy` approved so far, or undefined: an owner counts
 * once, so the required number is always of distinct people.
 */
export function repeatedApproval(
  approvedBy: readonly string[],
  actor: string,
  required: number,
): string | undefined {
  return approvedBy.includes(actor)
    ? `${actor} approved this request already; it needs ${required - approvedBy.length} more approval(s) from other owners`
    : undefined;
}

/**
 * Where `action` takes a transfer with these facts. Throws a ConflictError (409) that names the current
 * state and says why when the action is not allowed.
 */
export function transition(
  action: TransferAction,
  facts: TransitionFacts,
): TransitionOutcome {
  const why = refusal(action, facts);
  if (why) throw new ConflictError(`cannot ${action}: ${why}`);
  return RULES[action].outcome(facts);
}
