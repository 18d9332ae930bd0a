import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Transfer, TransferFilter } from '../store';

/** The caller of a route, resolved once per request. */
export interface Caller {
  credentials: BackstageCredentials;
  /** `user:default/alice`; undefined for a service principal */
  userRef?: string;
  /** the user's ownership entity refs (userInfo): the user and their groups */
  ownershipRefs: string[];
  /** named in namespaceTransfer.admins, by the user's ref or one of their groups */
  isAdmin: boolean;
}

/** A PVC as the API names it. */
export interface ClaimRef {
  cluster: string;
  namespace: string;
  claim: string;
}

/** Who owns a claim, read from the catalog now (never from the request). */
export interface ClaimOwnership {
  /** the one catalog entity the claim belongs to; undefined when none or several claim it */
  entityRef?: string;
  /** that entity's owners (its ownedBy relations); empty when nobody but the admins owns the claim */
  owners: string[];
  /** why nobody but the admins owns the claim, when so (several entities claim it, a negative-only selector…) */
  unowned?: string;
}

/** Where a requester may put a transfer's destination, from a catalog entity they own. */
export interface Destination {
  entityRef: string;
  cluster: string;
  namespace: string;
  /**
   * Labels the destination claim carries so that it appears under the entity: `backstage.io/kubernetes-id`,
   * or the equality part of its label selector.
   */
  labels: Record<string, string>;
}

/** What people do to a stored transfer. */
export type TransferAct =
  'read' | 'approve' | 'reject' | 'cancel' | 'retry' | 'resume' | 'cutover';

/** An answer of the access rules: refusals say what would have allowed the act. */
export type AccessDecision =
  | {
      allowed: true;
      /** recorded with a decision: what allowed it (e.g. `{ via: 'owner', of: 'component:default/db', matched: ['group:default/team-payments'] }`) */
      ownership: Record<string, unknown>;
    }
  | {
      allowed: false;
      /** 403 for who the caller is, 404 where the caller may not even know the transfer exists */
      status: 403 | 404;
      reason: string;
    };

/** The access rules' answer for one act on one of the transfers a judge was made for. */
export type AccessJudge = (
  act: TransferAct,
  transfer: Transfer,
) => AccessDecision;

/**
 * Who may do what (DESIGN §6, issue 16): ownership through the catalog is required; the permission policy can
 * only narrow it; namespaceTransfer.admins widens it. Every answer is read at the time of asking.
 */
export interface TransferAccess {
  caller(credentials: BackstageCredentials): Promise<Caller>;
  /** the owners of a claim now */
  claimOwnership(claim: ClaimRef): Promise<ClaimOwnership>;
  /**
   * The destination a request names by its entity: 400 (InputError) when the entity lacks the annotations
   * or has a set-based selector with no label to apply, 404 when it does not exist, 403 (NotAllowedError)
   * when the caller neither owns it nor is an admin, or the policy denies `create`.
   *
   * The cluster: entities do not name clusters, so a destination is on a configured cluster where the
   * entity's namespace exists (and, with `ownership.namespaceOwnerAnnotation` configured, names the entity
   * in that annotation). The request names it in `override.cluster`; without it, the one such cluster, or a
   * 400 listing them when there are several. An admin may also name another namespace (`override.namespace`)
   * and any configured cluster whose namespace exists, owner annotation or not; anyone else naming another
   * namespace than the entity's gets a 403.
   */
  destination(
    caller: Caller,
    entityRef: string,
    override?: { cluster?: string; namespace?: string },
  ): Promise<Destination>;
  /** the destinations the caller may request into (every configured cluster and namespace for admins) */
  destinations(caller: Caller): Promise<Destination[]>;
  /** namespaceTransfer.approvals.allowSelfApproval: may requesters approve (or reject) their own requests */
  readonly allowSelfApproval: boolean;
  /** may the caller do `act` to this transfer now (ownership read at decision time) */
  may(
    act: TransferAct,
    transfer: Transfer,
    caller: Caller,
  ): Promise<AccessDecision>;
  /**
   * `may` for many transfers at once (a page of a list): the policy is asked once for the caller and the
   * owners of every entity involved are read in one catalog call. The source claims are not read from
   * their clusters: the stored source entity's owners stand in for each claim's (an act itself goes
   * through `may`, which reads the claim now). Only for the given transfers.
   */
  judge(caller: Caller, transfers: Transfer[]): Promise<AccessJudge>;
  /** the list filter of what the caller may read; undefined when they may read everything (audit) */
  visibility(caller: Caller): Promise<TransferFilter['visibleTo'] | undefined>;
}
