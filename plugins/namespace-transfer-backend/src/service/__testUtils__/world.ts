import { mockCredentials } from '@backstage/backend-test-utils';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type {
  Plan,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type {
  AccessDecision,
  AccessJudge,
  Caller,
  ClaimOwnership,
  ClaimRef,
  Destination,
  TransferAccess,
  TransferAct,
} from '../../access/types';
import type { StateChange, TransferNotices } from '../../notify/types';
import type { Transfer } from '../../store';
import { realisticPlan } from '../../store/__testUtils__/transfers';
import type { ClusterFacts, CutoverWindows, Planner } from '../ports';

/*
 * A small world for the workflow's unit tests: who owns what, as the catalog would say. The fake access
 * follows the rules in a few lines (the real one, with the catalog and the permission policy, is
 * src/access/); the router's matrix runs on the real one.
 */

export const USERS = {
  alice: 'user:default/alice', // requester: owns the destination
  bob: 'user:default/bob', // owns the source (team-payments)
  erin: 'user:default/erin', // owns the billing source (team-billing)
  carol: 'user:default/carol', // owns nothing
  dora: 'user:default/dora', // owns the source and the destination
  admin: 'user:default/admin', // in namespaceTransfer.admins
} as const;

const GROUPS: Record<string, string[]> = {
  [USERS.alice]: ['group:default/team-next'],
  [USERS.bob]: ['group:default/team-payments'],
  [USERS.erin]: ['group:default/team-billing'],
  [USERS.carol]: [],
  [USERS.dora]: ['group:default/team-payments', 'group:default/team-next'],
  [USERS.admin]: [],
};

export const ENTITIES: Record<
  string,
  {
    owners: string[];
    cluster: string;
    namespace: string;
    labels: Record<string, string>;
  }
> = {
  'component:default/payments-db': {
    owners: ['group:default/team-payments'],
    cluster: 'east',
    namespace: 'payments',
    labels: { 'backstage.io/kubernetes-id': 'payments-db' },
  },
  'component:default/billing-db': {
    owners: ['group:default/team-billing'],
    cluster: 'east',
    namespace: 'payments',
    labels: { app: 'billing' },
  },
  'component:default/payments-next': {
    owners: ['group:default/team-next'],
    cluster: 'west',
    namespace: 'payments-next',
    labels: { 'backstage.io/kubernetes-id': 'payments-next' },
  },
};

/** Which entity each claim belongs to (a claim not listed belongs to none). */
export const CLAIMS: Record<string, string> = {
  'east/payments/payments-db-data': 'component:default/payments-db',
  'east/payments/payments-db-wal': 'component:default/payments-db',
  'east/payments/billing-data': 'component:default/billing-db',
};

export const credentialsOf = (user: string): BackstageCredentials =>
  mockCredentials.user(user);

const ownsEntity = (c: Caller, entityRef: string) =>
  (ENTITIES[entityRef]?.owners ?? []).some(o => c.ownershipRefs.includes(o));

const ownedEntities = (c: Caller) =>
  Object.keys(ENTITIES).filter(e => ownsEntity(c, e));

export class FakeAccess implements TransferAccess {
  /** claims whose ownership was taken away in the catalog after the request */
  readonly disowned = new Set<string>();
  allowSelfApproval = false;
  /** how many times a judge was made (each stands for one question to the catalog and the policy) */
  judges = 0;
  readonly asked: Array<{
    act: TransferAct;
    transferId: string;
    caller?: string;
  }> = [];

  async caller(credentials: BackstageCredentials): Promise<Caller> {
    const p = credentials.principal as { type: string; userEntityRef?: string };
    if (p.type !== 'user')
      return { credentials, ownershipRefs: [], isAdmin: false };
    const userRef = p.userEntityRef!;
    return {
      credentials,
      userRef,
      ownershipRefs: [userRef, ...(GROUPS[userRef] ?? [])],
      isAdmin: userRef === USERS.admin,
    };
  }

  async claimOwnership(claim: ClaimRef): Promise<ClaimOwnership> {
    return this.ownerOf(claim);
  }

  private ownerOf(claim: ClaimRef): ClaimOwnership {
    const key = `${claim.cluster}/${claim.namespace}/${claim.claim}`;
    const entityRef = CLAIMS[key];
    if (!entityRef || this.disowned.has(key))
      return { owners: [], unowned: 'no entity claims it' };
    return { entityRef, owners: ENTITIES[entityRef].owners };
  }

  async destination(
    caller: Caller,
    entityRef: string,
    override?: { cluster: string; namespace: string },
  ): Promise<Destination> {
    const e = ENTITIES[entityRef];
    if (!e) throw new NotFoundError(`no entity ${entityRef}`);
    if (!caller.isAdmin && (override || !ownsEntity(caller, entityRef)))
      throw new NotAllowedError(`you do not own ${entityRef}`);
    return {
      entityRef,
      cluster: e.cluster,
      namespace: e.namespace,
      labels: e.labels,
      ...override,
    };
  }

  async destinations(caller: Caller): Promise<Destination[]> {
    const refs = caller.isAdmin ? Object.keys(ENTITIES) : ownedEntities(caller);
    return refs.map(entityRef => ({
      entityRef,
      cluster: ENTITIES[entityRef].cluster,
      namespace: ENTITIES[entityRef].namespace,
      labels: ENTITIES[entityRef].labels,
    }));
  }

  async may(
    act: TransferAct,
    t: Transfer,
    caller: Caller,
  ): Promise<AccessDecision> {
    this.asked.push({ act, transferId: t.id, caller: caller.userRef });
    return this.decide(act, t, caller);
  }

  async judge(caller: Caller, _transfers: Transfer[]): Promise<AccessJudge> {
    this.judges++;
    return (act, t) => this.decide(act, t, caller);
  }

  private decide(
    act: TransferAct,
    t: Transfer,
    caller: Caller,
  ): AccessDecision {
    const source = this.ownerOf({ ...t.source });
    const sourceOwner = source.owners.some(o =>
      caller.ownershipRefs.includes(o),
    );
    const requester = t.requester === caller.userRef;
    const destinationOwner = ownsEntity(caller, t.destination.entityRef);
    const ok = (via: string): AccessDecision => ({
      allowed: true,
      ownership: { via, sourceOwners: source.owners },
    });
    const self =
      (act === 'approve' || act === 'reject') &&
      t.requester === caller.userRef &&
      !this.allowSelfApproval;
    // the requester always may read it: the four-eyes rule is the answer
    if (self)
      return {
        allowed: false,
        status: 403,
        reason: `you requested this transfer, so you cannot ${act} it`,
      };
    if (caller.isAdmin) return ok('admin');
    const reader = requester || sourceOwner || destinationOwner;
    if (!reader)
      return { allowed: false, status: 404, reason: `no transfer ${t.id}` };
    if (act === 'read') return ok(requester ? 'requester' : 'owner');
    if (act === 'approve' || act === 'reject')
      return sourceOwner
        ? ok('owner')
        : {
            allowed: false,
            status: 403,
            reason: `only an owner of ${t.source.entityRef || 'the source'} may ${act}`,
          };
    return requester || sourceOwner
      ? ok(requester ? 'requester' : 'owner')
      : {
          allowed: false,
          status: 403,
          reason: `only the requester or a source owner may ${act}`,
        };
  }

  async visibility(caller: Caller) {
    if (caller.isAdmin) return undefined;
    return {
      userRef: caller.userRef ?? '',
      ownedEntityRefs: ownedEntities(caller),
    };
  }
}

/** Plans as the engine would, with the refusals a test gives per claim. */
export class FakePlanner implements Planner {
  readonly refusals = new Map<string, Plan['refusals']>();
  readonly specs: TransferSpec[] = [];

  async plan(spec: TransferSpec): Promise<Plan> {
    this.specs.push(spec);
    const base = realisticPlan(spec.source.name);
    const refusals = this.refusals.get(spec.source.name) ?? [];
    return {
      ...base,
      transferId: spec.id,
      source: { ...base.source, ...spec.source },
      destination: { ...base.destination, ...spec.destination, exists: false },
      intent: spec.intent,
      refusals,
      allowed: refusals.length === 0,
    };
  }
}

export const fakeClusters = (
  claims: Record<string, string[]> = {
    'east/payments': ['billing-data', 'payments-db-data'],
  },
): ClusterFacts & { failing: Set<string> } => {
  const failing = new Set<string>();
  return {
    failing,
    names: () => ['east', 'west'],
    claims: async (cluster, namespace) =>
      claims[`${cluster}/${namespace}`] ?? [],
    storageClasses: async cluster => {
      if (failing.has(cluster)) throw new Error(`${cluster} did not answer`);
      return [{ name: 'standard', isDefault: true }];
    },
  };
};

/** Windows: 02:00-04:00 UTC every day. */
export const nightlyWindows: CutoverWindows = {
  allows: at => at.getUTCHours() >= 2 && at.getUTCHours() < 4,
  describe: () => 'mon,tue,wed,thu,fri,sat,sun 02:00-04:00 UTC',
  list: () => [
    {
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      start: '02:00',
      end: '04:00',
      timeZone: 'UTC',
    },
  ],
};

export class RecordingNotices implements TransferNotices {
  readonly changes: Array<{ id: string; state: string } & StateChange> = [];
  async stateChanged(t: Transfer, change: StateChange) {
    this.changes.push({ id: t.id, state: t.state, ...change });
  }
  async progressed() {}
}
