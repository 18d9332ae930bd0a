import type { AccessDecision, TransferAct } from './types';

/** The permission policy's answer for one permission on one transfer, its conditions already applied. */
export type PolicyAnswer = 'allow' | 'deny';

/** Everything one decision depends on, read at the time of asking. */
export interface AccessFacts {
  act: TransferAct;
  transferId: string;
  caller: {
    /** undefined for a service or anyone not signed in as a user */
    userRef?: string;
    /** the user and their groups (userInfo's ownershipEntityRefs) */
    ownershipRefs: string[];
    isAdmin: boolean;
  };
  requester: string;
  /** the transfer's source: its stored entity and that entity's owners now (what reading relies on) */
  source: { entityRef: string; owners: string[] };
  destination: { entityRef: string; owners: string[] };
  /**
   * Who owns the source claim now, read from the cluster and the catalog: required to approve or reject;
   * for cancel and the like, when the claim is gone (moved) or its cluster does not answer, the stored
   * source entity's owners stand in.
   */
  claim?: { entityRef?: string; owners: string[]; unowned?: string };
  allowSelfApproval: boolean;
  /** the policy's answer for `read` on this transfer */
  readPolicy: PolicyAnswer;
  /** the policy's answer for the act's own permission (approve for reject, cancel for retry/resume/cutover) */
  actPolicy: PolicyAnswer;
  /** the policy's answer for `audit` (only admins hold audit; a policy may take it from them) */
  auditPolicy: PolicyAnswer;
}

/** The permission each act needs from the policy. */
export const ACT_PERMISSION: Record<
  TransferAct,
  'read' | 'approve' | 'cancel'
> = {
  read: 'read',
  approve: 'approve',
  reject: 'approve',
  cancel: 'cancel',
  retry: 'cancel',
  resume: 'cancel',
  cutover: 'cancel',
};

const norm = (ref: string) => ref.toLocaleLowerCase('en-US');

/** The caller's refs among `owners`, compared as the catalog compares refs (without case). */
function matched(owners: string[], claims: string[]): string[] {
  const mine = new Set(claims.map(norm));
  return owners.filter(o => mine.has(norm(o)));
}

const refused = (reason: string): AccessDecision => ({
  allowed: false,
  status: 403,
  reason,
});

const permissionName = (act: TransferAct) =>
  `namespace-transfer.transfer.${ACT_PERMISSION[act]}`;

/** Who may read: the requester, an owner of either side, or an admin holding audit. */
function readStanding(f: AccessFacts): Record<string, unknown> | undefined {
  const { caller } = f;
  if (!caller.userRef) return undefined;
  if (norm(caller.userRef) === norm(f.requester)) return { via: 'requester' };
  const claims = [caller.userRef, ...caller.ownershipRefs];
  for (const side of ['source', 'destination'] as const) {
    const m = matched(f[side].owners, claims);
    if (m.length)
      return { via: `${side}-owner`, of: f[side].entityRef, matched: m };
  }
  if (caller.isAdmin && f.auditPolicy === 'allow') return { via: 'audit' };
  return undefined;
}

function approveDecision(f: AccessFacts): AccessDecision {
  const { caller } = f;
  const claims = [caller.userRef!, ...caller.ownershipRefs];
  const claim = f.claim ?? {
    owners: [],
    unowned: 'the source claim could not be read',
  };
  const verb = f.act;
  // the four-eyes rule comes first, admins included: an admin who requests needs another person's approval
  if (norm(caller.userRef!) === norm(f.requester) && !f.allowSelfApproval) {
    return refused(
      `you requested this transfer, so you cannot ${verb} it: another owner of ${f.source.entityRef || 'the source claim'} (or an admin) must; namespaceTransfer.approvals.allowSelfApproval is off`,
    );
  }
  const m = matched(claim.owners, claims);
  let ownership: Record<string, unknown>;
  if (m.length) {
    ownership = { via: 'owner', of: claim.entityRef, matched: m };
  } else if (caller.isAdmin) {
    ownership = { via: 'admin', matched: caller.ownershipRefs };
  } else {
    const who = claim.unowned
      ? `nobody but the admins (namespaceTransfer.admins) may ${verb} it: ${claim.unowned}`
      : `only an owner of ${claim.entityRef} (${claim.owners.join(', ')}) or an admin (namespaceTransfer.admins) may ${verb} it`;
    return refused(`You do not own the source of this transfer; ${who}`);
  }
  return { allowed: true, ownership };
}

function manageDecision(f: AccessFacts): AccessDecision {
  const { caller } = f;
  const claims = [caller.userRef!, ...caller.ownershipRefs];
  if (norm(caller.userRef!) === norm(f.requester)) {
    return { allowed: true, ownership: { via: 'requester' } };
  }
  // the claim's owners now; once the claim has moved away (or its cluster does not answer), the owners of
  // the entity the request was approved for
  const source = f.claim?.owners.length
    ? { entityRef: f.claim.entityRef, owners: f.claim.owners }
    : f.source;
  const m = matched(source.owners, claims);
  if (m.length) {
    return {
      allowed: true,
      ownership: { via: 'owner', of: source.entityRef, matched: m },
    };
  }
  if (caller.isAdmin) {
    return {
      allowed: true,
      ownership: { via: 'admin', matched: caller.ownershipRefs },
    };
  }
  return refused(
    `Only the requester (${f.requester}), an owner of the source ${source.entityRef}${source.owners.length ? ` (${source.owners.join(', ')})` : ''} or an admin (namespaceTransfer.admins) may ${f.act} this transfer`,
  );
}

/**
 * Who may do what to a stored transfer (issue 16, DESIGN §6), as a pure function of what was read now.
 * Standing comes from the plugin alone (requester, catalog ownership, namespaceTransfer.admins); the
 * policy can only take it away, for admins too. Whoever may not read a transfer is answered 404 for every
 * act, so that its existence does not leak; a refusal of someone who may read it says what would allow it.
 */
export function decideAccess(f: AccessFacts): AccessDecision {
  const notFound: AccessDecision = {
    allowed: false,
    status: 404,
    reason: `No transfer ${f.transferId}`,
  };
  const read = readStanding(f);
  if (!read || f.readPolicy === 'deny') return notFound;
  if (f.act === 'read') return { allowed: true, ownership: read };

  const decision =
    f.act === 'approve' || f.act === 'reject'
      ? approveDecision(f)
      : manageDecision(f);
  if (decision.allowed && f.actPolicy === 'deny') {
    return refused(
      `The permission policy denies you ${permissionName(f.act)} on this transfer; ask the portal's administrators`,
    );
  }
  return decision;
}
