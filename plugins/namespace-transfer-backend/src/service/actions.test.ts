import type { AccessDecision, AccessJudge } from '../access/types';
import type { Transfer } from '../store';
import { newTransfer } from '../store/__testUtils__/transfers';
import { allowedActions, judgeAction } from './actions';

const NOW = new Date('2026-12-05T12:00:00.000Z');
const BOB = 'user:default/bob';
const ctx = { actor: BOB, now: NOW, requiredApprovals: 2 };

const transfer = (over: Partial<Transfer> = {}): Transfer => ({
  ...newTransfer({ requester: 'user:default/alice' }),
  id: 'tr-1',
  requestedVia: 'portal',
  state: 'pending-approval',
  cancelRequested: false,
  pastPointOfNoReturn: false,
  leftForResume: false,
  approvedBy: [],
  progress: {},
  attempt: 1,
  engineTransferId: 'nt-1',
  createdAt: new Date('2026-12-05T10:00:00.000Z'),
  updatedAt: new Date('2026-12-05T10:00:00.000Z'),
  expiresAt: new Date('2026-12-12T10:00:00.000Z'),
  ...over,
});

const allow: AccessDecision = { allowed: true, ownership: { via: 'owner' } };
const everything: AccessJudge = () => allow;
const onlyManage: AccessJudge = act =>
  act === 'approve' || act === 'reject'
    ? { allowed: false, status: 403, reason: 'not an owner of the source' }
    : allow;

describe('allowedActions', () => {
  it.each<[string, Partial<Transfer>, string[]]>([
    ['a pending request', {}, ['approve', 'reject', 'cancel']],
    ['an approved transfer', { state: 'approved' }, ['cancel']],
    ['a running one', { state: 'running', startedAt: NOW }, ['cancel']],
    [
      'a running one past its point of no return',
      { state: 'running', startedAt: NOW, pastPointOfNoReturn: true },
      [],
    ],
    [
      'a staged one',
      { state: 'staged', startedAt: NOW },
      ['cancel', 'cutover'],
    ],
    [
      'a staged one being cancelled',
      { state: 'staged', startedAt: NOW, cancelRequested: true },
      [],
    ],
    [
      'a failure that rolled back',
      { state: 'failed', startedAt: NOW, finishedAt: NOW },
      ['retry'],
    ],
    [
      'a failure left for a resume',
      { state: 'failed', startedAt: NOW, finishedAt: NOW, leftForResume: true },
      ['cancel', 'resume'],
    ],
    [
      'a failure past the point of no return',
      {
        state: 'failed',
        startedAt: NOW,
        finishedAt: NOW,
        pastPointOfNoReturn: true,
      },
      ['resume'],
    ],
    ['a cancelled one', { state: 'cancelled', finishedAt: NOW }, ['retry']],
    ['a success', { state: 'succeeded', finishedAt: NOW }, []],
    ['a rejection', { state: 'rejected', finishedAt: NOW }, []],
  ])('follows the state machine for %s', (_what, over, expected) => {
    expect(allowedActions(transfer(over), everything, ctx)).toEqual(expected);
  });

  it('leaves out what the access rules refuse', () => {
    expect(allowedActions(transfer(), onlyManage, ctx)).toEqual(['cancel']);
  });

  it('leaves out approving a request that expired or that the caller approved already, but not rejecting it', () => {
    expect(
      allowedActions(transfer({ expiresAt: NOW }), everything, ctx),
    ).toEqual(['reject', 'cancel']);
    expect(
      allowedActions(transfer({ approvedBy: [BOB] }), everything, ctx),
    ).toEqual(['reject', 'cancel']);
    // another owner's approval leaves this one's to give
    expect(
      allowedActions(
        transfer({ approvedBy: ['user:default/dora'] }),
        everything,
        ctx,
      ),
    ).toEqual(['approve', 'reject', 'cancel']);
  });
});

describe('judgeAction', () => {
  it('answers with the access refusal first, its status kept', () => {
    const refused: AccessDecision = {
      allowed: false,
      status: 404,
      reason: 'No transfer tr-1',
    };
    expect(
      judgeAction('approve', transfer({ state: 'succeeded' }), refused, ctx),
    ).toBe(refused);
  });

  it('answers 409 naming the state, the expiry or the earlier approval', () => {
    expect(
      judgeAction('cutover', transfer({ state: 'approved' }), allow, ctx),
    ).toEqual({
      allowed: false,
      status: 409,
      reason:
        'cannot cutover: the transfer is approved; cutover is possible only when it is staged',
    });
    expect(
      judgeAction('approve', transfer({ expiresAt: NOW }), allow, ctx),
    ).toEqual({
      allowed: false,
      status: 409,
      reason:
        'cannot approve: the request expired at 2026-12-05T12:00:00.000Z; ask for a new one',
    });
    expect(
      judgeAction('approve', transfer({ approvedBy: [BOB] }), allow, ctx),
    ).toEqual({
      allowed: false,
      status: 409,
      reason:
        'cannot approve: user:default/bob approved this request already; it needs 1 more approval(s) from other owners',
    });
  });

  it('hands back what allowed the decision', () => {
    expect(judgeAction('approve', transfer(), allow, ctx)).toBe(allow);
  });
});

describe('a transfer requested through the Kubernetes API', () => {
  const viaKubernetes = (over: Partial<Transfer> = {}) =>
    transfer({
      requestedVia: 'kubernetes',
      kubernetesRequest: {
        cluster: 'east',
        namespace: 'apps',
        name: 'move-db',
      },
      requester: 'kubernetes:apps/move-db',
      ...over,
    });

  it.each<[string, Partial<Transfer>]>([
    ['running', { state: 'running', startedAt: NOW }],
    ['failed', { state: 'failed', startedAt: NOW, finishedAt: NOW }],
    [
      'failed past its point of no return',
      {
        state: 'failed',
        startedAt: NOW,
        finishedAt: NOW,
        pastPointOfNoReturn: true,
      },
    ],
  ])('offers no action to anyone when %s', (_what, over) => {
    expect(allowedActions(viaKubernetes(over), everything, ctx)).toEqual([]);
  });

  it('answers 409 naming its request to whoever may know of it, 404 to anyone else', () => {
    const running = viaKubernetes({ state: 'running', startedAt: NOW });
    const expected = {
      allowed: false,
      status: 409,
      reason:
        'cannot cancel: the transfer was requested through the Kubernetes API and is managed through its NamespaceTransferRequest in east apps/move-db, not through the portal',
    };
    expect(judgeAction('cancel', running, allow, ctx)).toEqual(expected);
    const notOwner: AccessDecision = {
      allowed: false,
      status: 403,
      reason: 'not an owner of the source',
    };
    expect(judgeAction('cancel', running, notOwner, ctx)).toEqual(expected);
    const hidden: AccessDecision = {
      allowed: false,
      status: 404,
      reason: 'No transfer tr-1',
    };
    expect(judgeAction('cancel', running, hidden, ctx)).toBe(hidden);
  });
});
