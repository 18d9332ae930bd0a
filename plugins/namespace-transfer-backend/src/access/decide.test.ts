import { AccessFacts, decideAccess, PolicyAnswer } from './decide';
import type { TransferAct } from './types';

const SOURCE = 'component:default/payments-db';
const DESTINATION = 'component:default/payments-db-eu';

type Persona = AccessFacts['caller'];
const personas: Record<string, Persona> = {
  'anonymous/service': { ownershipRefs: [], isAdmin: false },
  'non-owner': {
    userRef: 'user:default/mallory',
    ownershipRefs: ['user:default/mallory', 'group:default/others'],
    isAdmin: false,
  },
  requester: {
    userRef: 'user:default/rita',
    ownershipRefs: ['user:default/rita'],
    isAdmin: false,
  },
  'source owner': {
    userRef: 'user:default/sam',
    ownershipRefs: ['user:default/sam', 'group:default/team-payments'],
    isAdmin: false,
  },
  'destination owner': {
    userRef: 'user:default/dora',
    ownershipRefs: ['user:default/dora', 'group:default/team-eu'],
    isAdmin: false,
  },
  'admin by user': {
    userRef: 'user:default/ada',
    ownershipRefs: ['user:default/ada'],
    isAdmin: true,
  },
  'admin by group': {
    userRef: 'user:default/gus',
    ownershipRefs: ['user:default/gus', 'group:default/platform'],
    isAdmin: true,
  },
};

type Policy = { read: PolicyAnswer; act: PolicyAnswer; audit: PolicyAnswer };
const policies: Record<string, Policy> = {
  'allow-all': { read: 'allow', act: 'allow', audit: 'allow' },
  'deny-all': { read: 'deny', act: 'deny', audit: 'deny' },
  'read only (approve and cancel denied)': {
    read: 'allow',
    act: 'deny',
    audit: 'allow',
  },
};

const facts = (
  act: TransferAct,
  caller: Persona,
  policy: Policy,
  over: Partial<AccessFacts> = {},
): AccessFacts => ({
  act,
  transferId: 't-1',
  caller,
  requester: 'user:default/rita',
  source: { entityRef: SOURCE, owners: ['group:default/team-payments'] },
  destination: { entityRef: DESTINATION, owners: ['group:default/team-eu'] },
  claim: { entityRef: SOURCE, owners: ['group:default/team-payments'] },
  allowSelfApproval: false,
  readPolicy: policy.read,
  actPolicy: policy.act,
  auditPolicy: policy.audit,
  ...over,
});

const ACTS: TransferAct[] = [
  'read',
  'approve',
  'reject',
  'cancel',
  'retry',
  'resume',
  'cutover',
];

/** Expected under allow-all: 'ok', 403 or 404 per act group. */
const ALLOW_ALL: Record<string, { read: R; approve: R; manage: R }> = {
  'anonymous/service': { read: 404, approve: 404, manage: 404 },
  'non-owner': { read: 404, approve: 404, manage: 404 },
  requester: { read: 'ok', approve: 403, manage: 'ok' },
  'source owner': { read: 'ok', approve: 'ok', manage: 'ok' },
  'destination owner': { read: 'ok', approve: 403, manage: 403 },
  'admin by user': { read: 'ok', approve: 'ok', manage: 'ok' },
  'admin by group': { read: 'ok', approve: 'ok', manage: 'ok' },
};
type R = 'ok' | 403 | 404;

function group(act: TransferAct): 'read' | 'approve' | 'manage' {
  if (act === 'read') return 'read';
  return act === 'approve' || act === 'reject' ? 'approve' : 'manage';
}

function expected(persona: string, policyName: string, act: TransferAct): R {
  const base = ALLOW_ALL[persona][group(act)];
  if (policyName === 'deny-all') return 404; // read denied: nobody may know the transfer exists
  if (policyName.startsWith('read only') && act !== 'read' && base === 'ok')
    return 403;
  return base;
}

const outcome = (d: ReturnType<typeof decideAccess>): R =>
  d.allowed ? 'ok' : d.status;

describe('decideAccess: every persona × every act × three policies', () => {
  const rows: [string, string, TransferAct, R][] = [];
  for (const persona of Object.keys(personas))
    for (const policy of Object.keys(policies))
      for (const act of ACTS)
        rows.push([persona, policy, act, expected(persona, policy, act)]);

  it.each(rows)('%s under %s: %s → %s', (persona, policy, act, want) => {
    const decision = decideAccess(
      facts(act, personas[persona], policies[policy]),
    );
    expect(outcome(decision)).toBe(want);
    expect(decision.allowed || decision.reason.length > 0).toBe(true);
  });
});

describe('decideAccess: what is recorded and what a refusal says', () => {
  const allow = policies['allow-all'];

  it('records the matched ownership of an approving owner', () => {
    expect(
      decideAccess(facts('approve', personas['source owner'], allow)),
    ).toEqual({
      allowed: true,
      ownership: {
        via: 'owner',
        of: SOURCE,
        matched: ['group:default/team-payments'],
      },
    });
  });

  it('records an admin as an admin', () => {
    expect(
      decideAccess(facts('approve', personas['admin by group'], allow)),
    ).toMatchObject({ allowed: true, ownership: { via: 'admin' } });
  });

  it('refuses a requester who owns the source their own approval, naming the setting; allows it when configured', () => {
    const rita = {
      ...personas.requester,
      ownershipRefs: ['user:default/rita', 'group:default/team-payments'],
    };
    const refused = decideAccess(facts('approve', rita, allow));
    expect(refused).toMatchObject({ allowed: false, status: 403 });
    expect(!refused.allowed && refused.reason).toMatch(
      /namespaceTransfer\.approvals\.allowSelfApproval/,
    );
    expect(
      decideAccess(facts('approve', rita, allow, { allowSelfApproval: true })),
    ).toMatchObject({ allowed: true, ownership: { via: 'owner' } });
  });

  it('holds admins to the four-eyes rule too', () => {
    const ada = personas['admin by user'];
    expect(
      decideAccess(
        facts('approve', ada, allow, { requester: 'user:default/ada' }),
      ),
    ).toMatchObject({ allowed: false, status: 403 });
  });

  it('a claim that several entities claim: owners refused with the collision named, admins allowed', () => {
    const claim = {
      owners: [],
      unowned:
        'payments/db on cluster east is claimed by several catalog entities (component:default/a, component:default/b)',
    };
    const refused = decideAccess(
      facts('approve', personas['source owner'], allow, { claim }),
    );
    expect(refused).toMatchObject({ allowed: false, status: 403 });
    expect(!refused.allowed && refused.reason).toMatch(
      /nobody but the admins.*several catalog entities \(component:default\/a, component:default\/b\)/,
    );
    expect(
      decideAccess(
        facts('approve', personas['admin by user'], allow, { claim }),
      ),
    ).toMatchObject({ allowed: true });
  });

  it('ownership removed in the catalog: the former owner may no longer approve', () => {
    const decision = decideAccess(
      facts('approve', personas['source owner'], allow, {
        claim: { entityRef: SOURCE, owners: ['group:default/someone-else'] },
      }),
    );
    expect(decision).toMatchObject({ allowed: false, status: 403 });
    expect(!decision.allowed && decision.reason).toMatch(
      /only an owner of component:default\/payments-db \(group:default\/someone-else\)/,
    );
  });

  it('approval needs the claim read now: without it only admins', () => {
    expect(
      decideAccess(
        facts('approve', personas['source owner'], allow, { claim: undefined }),
      ),
    ).toMatchObject({ allowed: false, status: 403 });
  });

  it('cancel of a transfer whose claim has moved: the stored source entity’s owners stand in', () => {
    expect(
      decideAccess(
        facts('cancel', personas['source owner'], allow, { claim: undefined }),
      ),
    ).toMatchObject({ allowed: true, ownership: { via: 'owner', of: SOURCE } });
  });

  it('tells a destination owner who may cancel', () => {
    const d = decideAccess(
      facts('cancel', personas['destination owner'], allow),
    );
    expect(!d.allowed && d.reason).toMatch(
      /Only the requester \(user:default\/rita\), an owner of the source component:default\/payments-db \(group:default\/team-payments\) or an admin/,
    );
  });

  it('an admin whose audit the policy takes away reads only what they take part in', () => {
    const policy = { read: 'allow', act: 'allow', audit: 'deny' } as Policy;
    expect(
      decideAccess(facts('read', personas['admin by user'], policy)),
    ).toMatchObject({ allowed: false, status: 404 });
    expect(
      decideAccess(
        facts('read', personas['admin by user'], policy, {
          requester: 'user:default/ada',
        }),
      ),
    ).toMatchObject({ allowed: true });
  });

  it('compares entity refs without case, as the catalog does', () => {
    const sam = {
      userRef: 'user:default/Sam',
      ownershipRefs: ['Group:Default/Team-Payments'],
      isAdmin: false,
    };
    expect(decideAccess(facts('approve', sam, allow))).toMatchObject({
      allowed: true,
    });
  });

  it('a 404 names only the id, nothing of who could read it', () => {
    expect(decideAccess(facts('read', personas['non-owner'], allow))).toEqual({
      allowed: false,
      status: 404,
      reason: 'No transfer t-1',
    });
  });
});
