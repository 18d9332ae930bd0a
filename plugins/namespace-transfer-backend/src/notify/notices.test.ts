import type { Transfer } from '../store';
import { ALICE, BOB, CAROL, storedTransfer } from './__testUtils__/transfer';
import { APPROVAL_TOPIC, noticesFor, STATUS_TOPIC } from './notices';
import type { StateChange } from './types';

const LINK = '/namespace-transfer/transfers/tr-1';

type Row = [
  string,
  Partial<Transfer>,
  StateChange,
  Array<{
    to: string;
    title: string;
    severity: string;
    topic: string;
    scope: string;
    exclude: string[];
  }>,
];

const ask = (title: string, exclude: string[]) => ({
  to: 'owners',
  title,
  severity: 'normal',
  topic: APPROVAL_TOPIC,
  scope: 'namespace-transfer:tr-1:approval',
  exclude,
});
const news = (
  title: string,
  scope: string,
  more: { severity?: string; exclude?: string[]; to?: string } = {},
) => ({
  to: more.to ?? 'requester',
  title,
  severity: more.severity ?? 'normal',
  topic: STATUS_TOPIC,
  scope: `namespace-transfer:tr-1:${scope}`,
  exclude: more.exclude ?? [],
});

const WHAT = 'moving payments/db-data to east/payments';

describe('noticesFor: which change sends what to whom', () => {
  const rows: Row[] = [
    [
      'a new request asks the source owners, not the requester',
      {},
      { from: 'pending-approval', action: 'request', actor: ALICE },
      [ask(`Approve ${WHAT}?`, [ALICE])],
    ],
    [
      'an approval short of the required number tells nobody',
      { approvedBy: [BOB] },
      { from: 'pending-approval', action: 'approve', actor: BOB },
      [],
    ],
    [
      'the approval that completes it tells the requester',
      { state: 'approved', approvedBy: [BOB] },
      { from: 'pending-approval', action: 'approve', actor: BOB },
      [news(`Approved: ${WHAT}`, '1:approved', { exclude: [BOB] })],
    ],
    [
      'a rejection tells the requester',
      { state: 'rejected' },
      {
        from: 'pending-approval',
        action: 'reject',
        actor: BOB,
        comment: 'not now',
      },
      [news(`Rejected: ${WHAT}`, '1:rejected', { exclude: [BOB] })],
    ],
    [
      'expiry tells the requester',
      { state: 'expired' },
      { from: 'pending-approval', action: 'expire' },
      [news(`Expired: ${WHAT}`, '1:expired')],
    ],
    [
      'a start tells nobody (the page shows it live)',
      { state: 'running' },
      { from: 'approved', action: 'start' },
      [],
    ],
    [
      'a changed plan asks the owners again and tells the requester',
      { state: 'pending-approval', approvedBy: [] },
      {
        from: 'running',
        action: 'ask-again',
        comment: 'another pod uses the claim',
      },
      [
        ask(`The plan changed: approve ${WHAT} again?`, [ALICE]),
        news(`Needs approval again: ${WHAT}`, '1:asked-again'),
      ],
    ],
    [
      'staged tells the requester',
      { state: 'staged' },
      { from: 'running', action: 'stage' },
      [news('Staged: payments/db-data synced to east/payments', '1:staged')],
    ],
    [
      'success tells the requester',
      { state: 'succeeded', downtimeMs: 4200 },
      { from: 'running', action: 'succeed' },
      [news('Done: payments/db-data moved to east/payments', '1:succeeded')],
    ],
    [
      'a failure tells the requester and the approvers, high',
      { state: 'failed', approvedBy: [BOB], attempt: 2, error: 'sync failed' },
      { from: 'running', action: 'fail' },
      [
        news(`Failed: ${WHAT}`, '2:failed', {
          severity: 'high',
          to: 'requester-and-approvers',
        }),
      ],
    ],
    [
      'a failure past the point of no return tells the source owners too, critical',
      { state: 'failed', approvedBy: [BOB], pastPointOfNoReturn: true },
      { from: 'running', action: 'fail' },
      [
        news(`Failed past its point of no return: ${WHAT}`, '1:failed', {
          severity: 'critical',
          to: 'requester-approvers-and-owners',
        }),
      ],
    ],
    [
      'the requester cancelling their own pending request tells nobody',
      { state: 'cancelled' },
      { from: 'pending-approval', action: 'cancel', actor: ALICE },
      [],
    ],
    [
      'an owner cancelling an approved transfer tells the requester',
      { state: 'cancelled' },
      { from: 'approved', action: 'cancel', actor: BOB },
      [news(`Cancelled: ${WHAT}`, '1:cancel', { exclude: [BOB] })],
    ],
    [
      'an owner cancelling a running transfer tells the requester it is rolling back',
      { state: 'running', cancelRequested: true },
      { from: 'running', action: 'cancel', actor: BOB },
      [news(`Cancelling: ${WHAT}`, '1:cancel', { exclude: [BOB] })],
    ],
    [
      'the rollback done replaces the "cancelling" (one scope)',
      { state: 'cancelled', cancelRequested: true },
      { from: 'running', action: 'roll-back' },
      [news(`Cancelled: ${WHAT}`, '1:cancel')],
    ],
    [
      'a retry of a request that never ran asks the owners again',
      { state: 'pending-approval', attempt: 2 },
      { from: 'cancelled', action: 'retry', actor: ALICE },
      [ask(`Approve ${WHAT} again?`, [ALICE])],
    ],
    [
      'a retry by an owner of what ran tells the requester, low',
      { state: 'approved', attempt: 2, approvedBy: [BOB] },
      { from: 'failed', action: 'retry', actor: BOB },
      [
        news(`bob retried ${WHAT}`, '2:retried', {
          severity: 'low',
          exclude: [BOB],
        }),
      ],
    ],
    [
      "the requester's own retry of what ran tells nobody",
      { state: 'approved', attempt: 2 },
      { from: 'failed', action: 'retry', actor: ALICE },
      [],
    ],
    [
      'a resume by an admin tells the requester, low',
      { state: 'approved', pastPointOfNoReturn: true },
      { from: 'failed', action: 'resume', actor: CAROL },
      [
        news(`carol resumed ${WHAT}`, '1:resumed', {
          severity: 'low',
          exclude: [CAROL],
        }),
      ],
    ],
    [
      'a cut-over started by someone else tells the requester',
      { state: 'staged' },
      { from: 'staged', action: 'cutover', actor: BOB },
      [news(`Cutting over: ${WHAT}`, '1:cut-over', { exclude: [BOB] })],
    ],
    [
      "the requester's own cut-over tells nobody",
      { state: 'staged' },
      { from: 'staged', action: 'cutover', actor: ALICE },
      [],
    ],
  ];

  it.each(rows)('%s', (_name, overrides, change, expected) => {
    const notices = noticesFor(storedTransfer(overrides), change);
    expect(
      notices.map(n => ({
        to: n.to,
        title: n.payload.title,
        severity: n.payload.severity,
        topic: n.payload.topic,
        scope: n.payload.scope,
        exclude: n.exclude,
      })),
    ).toEqual(expected);
    for (const n of notices) expect(n.payload.link).toBe(LINK);
  });
});

describe('noticesFor: what the descriptions say', () => {
  const only = (overrides: Partial<Transfer>, change: StateChange) => {
    const [notice] = noticesFor(storedTransfer(overrides), change);
    return notice.payload.description;
  };

  it('an ask names the requester, both clusters and the downtime the plan expects', () => {
    expect(
      only({}, { from: 'pending-approval', action: 'request', actor: ALICE }),
    ).toBe(
      'alice asks for moving claim db-data in payments on west to claim db-data in payments on east. The application stops for about 3 s.',
    );
  });

  it('a clone copies, and a renamed claim shows in the title', () => {
    const [notice] = noticesFor(
      storedTransfer({
        intent: 'clone',
        destination: { ...storedTransfer().destination, claim: 'db-copy' },
      }),
      { from: 'pending-approval', action: 'request', actor: ALICE },
    );
    expect(notice.payload.title).toBe(
      'Approve copying payments/db-data to east/payments/db-copy?',
    );
  });

  it('a rejection quotes the comment', () => {
    expect(
      only(
        { state: 'rejected' },
        {
          from: 'pending-approval',
          action: 'reject',
          actor: BOB,
          comment: 'not during the freeze',
        },
      ),
    ).toBe(
      'bob rejected moving claim db-data in payments on west to claim db-data in payments on east: "not during the freeze"',
    );
  });

  it('a failure quotes the error with secrets redacted, and says whether to retry or resume', () => {
    const token = `eyJhbGciOiJSUzI1NiJ9.${'a'.repeat(20)}.${'b'.repeat(20)}`;
    const before = only(
      {
        state: 'failed',
        error: `sync failed (Authorization: Bearer ${token})`,
      },
      { from: 'running', action: 'fail' },
    );
    expect(before).not.toContain(token);
    expect(before).toMatch(
      /^sync failed \(Authorization: Bearer \[redacted\]\) /,
    );
    expect(before).toContain('Retry it from its page');
    const after = only(
      {
        state: 'failed',
        error: 'final sync failed',
        pastPointOfNoReturn: true,
      },
      { from: 'running', action: 'fail' },
    );
    expect(after).toContain(
      'The source application may stay stopped until the transfer is resumed from its page.',
    );
  });

  it('staged says when it cuts over', () => {
    expect(
      only(
        { state: 'staged', cutoverAt: new Date('2026-12-06T02:00:00Z') },
        { from: 'running', action: 'stage' },
      ),
    ).toContain('It cuts over at 2026-12-06T02:00:00.000Z.');
  });

  it('success gives the downtime', () => {
    expect(
      only(
        { state: 'succeeded', downtimeMs: 125_000 },
        { from: 'running', action: 'succeed' },
      ),
    ).toContain('The application was stopped for 2 min.');
  });

  it('a long error is cut to one short line', () => {
    const text = only(
      { state: 'failed', error: `line one\n${'x'.repeat(2000)}` },
      { from: 'running', action: 'fail' },
    );
    expect(text).not.toContain('\n');
    expect(text!.length).toBeLessThan(520);
  });
});
