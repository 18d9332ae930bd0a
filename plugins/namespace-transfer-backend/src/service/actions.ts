import type { AccessDecision, AccessJudge } from '../access/types';
import type { Transfer } from '../store';
import {
  DECISION_KINDS,
  DecisionKind,
  refusal,
  repeatedApproval,
} from '../workflow/states';

/** Whether a decision may be taken now; when not, the status the API answers with and why. */
export type ActionVerdict =
  | { allowed: true; ownership: Record<string, unknown> }
  | { allowed: false; status: 403 | 404 | 409; reason: string };

/** What a verdict depends on besides the transfer and the access rules' answer. */
export interface ActionContext {
  /** who decides (their user entity ref) */
  actor: string;
  now: Date;
  /** distinct approvals a request needs (namespaceTransfer.approvals.required) */
  requiredApprovals: number;
}

/** Why the transfer, as it is now, does not allow `kind` (whoever asks), or undefined. */
function stateRefusal(
  kind: DecisionKind,
  t: Transfer,
  ctx: ActionContext,
): string | undefined {
  const why = refusal(kind, {
    state: t.state,
    pastPointOfNoReturn: t.pastPointOfNoReturn,
    leftForResume: t.leftForResume,
    cancelRequested: t.cancelRequested,
    hasRun: t.startedAt !== undefined,
  });
  if (why || kind !== 'approve') return why;
  // the janitor expires overdue requests only now and then: until it does, an approval comes too late
  if (t.expiresAt && t.expiresAt.getTime() <= ctx.now.getTime())
    return `the request expired at ${t.expiresAt.toISOString()}; ask for a new one`;
  return repeatedApproval(t.approvedBy, ctx.actor, ctx.requiredApprovals);
}

/**
 * A transfer requested through the Kubernetes API is the KEP controller's: its request and approval objects
 * decide on it, so no decision of the portal applies.
 */
function managedElsewhere(kind: DecisionKind, t: Transfer): string | undefined {
  if (t.requestedVia !== 'kubernetes') return undefined;
  const r = t.kubernetesRequest;
  const where = r
    ? `its NamespaceTransferRequest in ${r.cluster} ${r.namespace}/${r.name}`
    : 'its NamespaceTransferRequest';
  return `cannot ${kind}: the transfer was requested through the Kubernetes API and is managed through ${where}, not through the portal`;
}

/**
 * Whether a person may take decision `kind` on transfer `t` now: the access rules' answer for them
 * (ownership or admin, the permission policy, the four-eyes rule), then what the transfer allows (the
 * state machine, an expired request, an approval they gave already). The decision routes and every
 * transfer's `allowedActions` ask this one function; the store then applies a decision only if the
 * transfer has not changed since it was read.
 */
export function judgeAction(
  kind: DecisionKind,
  t: Transfer,
  access: AccessDecision,
  ctx: ActionContext,
): ActionVerdict {
  // who may not even know of it learns nothing more; anyone else is told where it is managed
  if (!access.allowed && access.status === 404) return access;
  const managed = managedElsewhere(kind, t);
  if (managed) return { allowed: false, status: 409, reason: managed };
  if (!access.allowed) return access;
  const why = stateRefusal(kind, t, ctx);
  return why
    ? { allowed: false, status: 409, reason: `cannot ${kind}: ${why}` }
    : access;
}

/** The decisions a caller may take on a transfer now (see judgeAction), in DECISION_KINDS' order. */
export function allowedActions(
  t: Transfer,
  judge: AccessJudge,
  ctx: ActionContext,
): DecisionKind[] {
  return DECISION_KINDS.filter(
    kind => judgeAction(kind, t, judge(kind, t), ctx).allowed,
  );
}
