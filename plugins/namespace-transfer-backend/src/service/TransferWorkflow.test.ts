import { mockCredentials } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { TransferStore } from '../store';
import { migrateToLatest } from '../store/migrate';
import {
  clientOf,
  expectedClient,
  storeTestDatabases,
} from '../store/__testUtils__/databases';
import { ManualClock } from '../store/__testUtils__/transfers';
import type { WorkflowConfig } from './config';
import { TransferWorkflow } from './TransferWorkflow';
import {
  credentialsOf,
  FakeAccess,
  fakeClusters,
  FakePlanner,
  nightlyWindows,
  RecordingNotices,
  USERS,
} from './__testUtils__/world';
import { TransferRequest } from '@namespace-transfer/plugin-namespace-transfer-common';

const databases = storeTestDatabases();

const CONFIG: WorkflowConfig = {
  requiredApprovals: 1,
  expireAfterMs: 7 * 24 * 3_600_000,
  defaults: { mode: 'auto', intent: 'move', options: { verify: 'full' } },
  portalUrl: 'https://portal.example.com/namespace-transfer/transfers/',
};

const request = (claim = 'payments-db-data'): TransferRequest => ({
  source: { cluster: 'east', namespace: 'payments', claim },
  destination: { entityRef: 'component:default/payments-next' },
});

describe.each(databases.eachSupportedId())('TransferWorkflow on %s', id => {
  let db: Knex;
  let store: TransferStore;
  const clock = new ManualClock(new Date('2026-12-01T10:00:00.000Z'));
  let access: FakeAccess;
  let planner: FakePlanner;
  let notices: RecordingNotices;
  let clusters: ReturnType<typeof fakeClusters>;

  const workflow = (config: Partial<WorkflowConfig> = {}, more = {}) =>
    new TransferWorkflow({
      store,
      access,
      notices,
      planner,
      clusters,
      windows: nightlyWindows,
      config: { ...CONFIG, ...config },
      now: clock.now,
      ...more,
    });
  const as = (user: string) => access.caller(credentialsOf(user));
  const rows = async () =>
    Object.fromEntries(
      await Promise.all(
        ['transfers', 'batches', 'decisions', 'events'].map(async t => [
          t,
          Number((await db(t).count({ n: '*' }))[0].n),
        ]),
      ),
    );

  beforeAll(async () => {
    db = await databases.init(id);
    await migrateToLatest(db);
    store = new TransferStore(db, { now: clock.now });
  });

  beforeEach(async () => {
    for (const t of ['events', 'decisions', 'transfers', 'batches'])
      await db(t).delete();
    access = new FakeAccess();
    planner = new FakePlanner();
    notices = new RecordingNotices();
    clusters = fakeClusters();
  });

  it('runs on the database it claims to', () => {
    expect(clientOf(db)).toBe(expectedClient(id));
  });

  describe('a request', () => {
    it('is stored with its plan, config defaults, expiry and the destination labels, and heard of', async () => {
      const t = await workflow().create(await as(USERS.alice), {
        ...request(),
        options: { stage: true },
        comment: 'the new cluster needs it',
      });
      expect(
        (await workflow().get(await as(USERS.bob), t.id)).transfer.comment,
      ).toBe('the new cluster needs it');
      expect(t).toMatchObject({
        state: 'pending-approval',
        requester: USERS.alice,
        source: {
          cluster: 'east',
          namespace: 'payments',
          claim: 'payments-db-data',
          entityRef: 'component:default/payments-db',
        },
        destination: {
          cluster: 'west',
          namespace: 'payments-next',
          claim: 'payments-db-data',
          entityRef: 'component:default/payments-next',
        },
        requestedMode: 'auto',
        intent: 'move',
        options: {
          verify: 'full',
          stage: true,
          destinationLabels: { 'backstage.io/kubernetes-id': 'payments-next' },
        },
        plan: { allowed: true, source: { name: 'payments-db-data' } },
        expiresAt: new Date('2026-12-08T10:00:00.000Z'),
        url: `https://portal.example.com/namespace-transfer/transfers/${t.id}`,
      });
      expect(t).not.toHaveProperty('checkpoint');
      // the engine was asked with the labels the destination claim gets
      expect(planner.specs[0].destination.labels).toEqual({
        'backstage.io/kubernetes-id': 'payments-next',
      });
      expect(notices.changes).toEqual([
        expect.objectContaining({
          id: t.id,
          action: 'request',
          actor: USERS.alice,
        }),
      ]);
    });

    it('that the engine refuses is a 400 listing every refusal, and stores nothing', async () => {
      planner.refusals.set('payments-db-data', [
        {
          code: 'DestinationExists',
          message: 'west/payments-next/payments-db-data exists',
        },
        { code: 'OptedOut', message: 'the claim opts out' },
      ]);
      const before = await rows();
      await expect(
        workflow().create(await as(USERS.alice), request()),
      ).rejects.toMatchObject({
        name: 'InputError',
        message:
          'the engine refuses this transfer, nothing was stored: east/payments/payments-db-data: DestinationExists: west/payments-next/payments-db-data exists; east/payments/payments-db-data: OptedOut: the claim opts out',
      });
      expect(await rows()).toEqual(before);
      expect(notices.changes).toEqual([]);
    });

    it('shows the refused plan as a dry run, storing nothing', async () => {
      planner.refusals.set('payments-db-data', [
        { code: 'OptedOut', message: 'no' },
      ]);
      const plan = await workflow().plan(await as(USERS.alice), request());
      expect(plan).toMatchObject({
        allowed: false,
        refusals: [{ code: 'OptedOut' }],
      });
      expect((await rows()).transfers).toBe(0);
    });

    it.each([
      [
        'an unknown source cluster',
        { ...request(), source: { ...request().source, cluster: 'north' } },
        "source.cluster 'north' is not a configured cluster; configured: east, west",
      ],
      [
        'a cutover time in the past',
        { ...request(), cutoverAt: '2026-12-01T03:00:00Z' },
        'cutoverAt 2026-12-01T03:00:00.000Z is in the past: choose a time ahead',
      ],
      [
        'a cutover time outside the windows',
        { ...request(), cutoverAt: '2026-12-02T12:00:00Z' },
        'cutoverAt 2026-12-02T12:00:00.000Z is outside the maintenance windows (mon,tue,wed,thu,fri,sat,sun 02:00-04:00 UTC): choose a time inside one',
      ],
      [
        'a cutover time without staging',
        {
          ...request(),
          cutoverAt: '2026-12-02T03:00:00Z',
          options: { stage: false },
        },
        'cutoverAt needs a staged transfer: leave options.stage out or set it to true',
      ],
    ])('with %s is a 400 saying what to fix', async (_what, req, message) => {
      await expect(
        workflow().create(await as(USERS.alice), req as TransferRequest),
      ).rejects.toMatchObject({ name: 'InputError', message });
      expect((await rows()).transfers).toBe(0);
    });

    it('keeps a cutover time inside a window', async () => {
      const t = await workflow().create(await as(USERS.alice), {
        ...request(),
        cutoverAt: '2026-12-02T03:00:00Z',
      });
      expect(t.cutoverAt).toEqual(new Date('2026-12-02T03:00:00Z'));
    });

    it('into an entity the caller does not own is refused by access, nothing stored', async () => {
      await expect(
        workflow().create(await as(USERS.carol), request()),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      expect((await rows()).transfers).toBe(0);
    });

    it('is made by users, not services', async () => {
      const caller = await access.caller({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'service', subject: 'plugin:catalog' },
      } as never);
      await expect(workflow().create(caller, request())).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringMatching(/requested and decided by users/),
      });
    });
  });

  describe('a batch', () => {
    it('of a whole namespace makes one transfer per claim, each approved by its own source owners', async () => {
      const w = workflow();
      const { batch, transfers } = await w.createBatch(await as(USERS.alice), {
        source: { cluster: 'east', namespace: 'payments' },
        destination: { entityRef: 'component:default/payments-next' },
        comment: 'the whole namespace moves',
      });
      // the batch's comment goes with each of its transfers, stored
      expect(transfers.map(t => t.comment)).toEqual([
        'the whole namespace moves',
        'the whole namespace moves',
      ]);
      expect(
        (await w.get(await as(USERS.erin), transfers[0].id)).transfer.comment,
      ).toBe('the whole namespace moves');
      expect(batch).toMatchObject({
        requester: USERS.alice,
        source: { cluster: 'east', namespace: 'payments' },
      });
      expect(
        transfers.map(t => [t.source.claim, t.source.entityRef, t.batchId]),
      ).toEqual([
        ['billing-data', 'component:default/billing-db', batch.id],
        ['payments-db-data', 'component:default/payments-db', batch.id],
      ]);
      const [billing, payments] = transfers;
      // dora may read it (she owns the destination) but owns only the other claim's source
      await expect(
        w.decide(await as(USERS.dora), billing.id, 'approve', {}),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      expect(
        (await w.decide(await as(USERS.bob), payments.id, 'approve', {})).state,
      ).toBe('approved');
      expect(
        (await w.decide(await as(USERS.erin), billing.id, 'approve', {})).state,
      ).toBe('approved');
      expect(notices.changes.map(c => c.action)).toEqual([
        'request',
        'request',
        'approve',
        'approve',
      ]);
    });

    it('with one refused claim stores none of them, listing the refusal', async () => {
      planner.refusals.set('billing-data', [
        { code: 'SourceNotBound', message: 'the claim is Pending' },
      ]);
      await expect(
        workflow().createBatch(await as(USERS.alice), {
          source: {
            cluster: 'east',
            namespace: 'payments',
            claims: ['payments-db-data', 'billing-data'],
          },
          destination: { entityRef: 'component:default/payments-next' },
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message:
          'the engine refuses 1 of the 2 transfers, nothing was stored: east/payments/billing-data: SourceNotBound: the claim is Pending',
      });
      expect(await rows()).toEqual({
        transfers: 0,
        batches: 0,
        decisions: 0,
        events: 0,
      });
    });

    it('of an empty namespace is a 400', async () => {
      await expect(
        workflow().createBatch(await as(USERS.alice), {
          source: { cluster: 'east', namespace: 'empty' },
          destination: { entityRef: 'component:default/payments-next' },
        }),
      ).rejects.toThrow(
        'namespace empty on cluster east has no claims to transfer',
      );
    });
  });

  describe('staging a rebind', () => {
    const SAME_VOLUME = 'same cluster: the volume is handed to the new claim';
    /** `auto` chooses rebind for these claims, as the engine does when the volume can stay where it is. */
    class RebindingPlanner extends FakePlanner {
      constructor(private readonly rebinds: string[]) {
        super();
      }

      override async plan(spec: Parameters<FakePlanner['plan']>[0]) {
        const plan = await super.plan(spec);
        return this.rebinds.includes(spec.source.name)
          ? { ...plan, mode: 'rebind' as const, modeReason: SAME_VOLUME }
          : plan;
      }
    }
    const rebinding = (...claims: string[]) =>
      workflow({}, { planner: new RebindingPlanner(claims) });
    const cutover = '2026-12-02T03:00:00Z';

    it.each([
      ['options.stage', { options: { stage: true } }, 'options.stage: true'],
      ['a cutover time', { cutoverAt: cutover }, 'cutoverAt'],
    ])(
      'is a 400 when the plan chooses rebind and the request asks for %s, in the dry run too, storing nothing',
      async (_what, asks, named) => {
        const req = { ...request(), ...asks };
        const message = `the plan chooses rebind, which has no staging, but the request asks for it (${named}): east/payments/payments-db-data: ${SAME_VOLUME}; leave out cutoverAt and options.stage, or ask for mode copy`;
        await expect(
          rebinding('payments-db-data').create(await as(USERS.alice), req),
        ).rejects.toMatchObject({ name: 'InputError', message });
        await expect(
          rebinding('payments-db-data').plan(await as(USERS.alice), req),
        ).rejects.toMatchObject({ name: 'InputError', message });
        expect((await rows()).transfers).toBe(0);
      },
    );

    it('is a 400 before anything is planned when the request asks for mode rebind and staging', async () => {
      await expect(
        workflow().create(await as(USERS.alice), {
          ...request(),
          mode: 'rebind',
          cutoverAt: cutover,
          options: { stage: true },
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message:
          'mode rebind has no staging, but the request asks for it (cutoverAt, options.stage: true): leave out cutoverAt and options.stage, or ask for mode copy',
      });
      expect(planner.specs).toEqual([]);
      expect((await rows()).transfers).toBe(0);
    });

    it('is a 400 for a batch naming the claims planned as rebind, storing none of them', async () => {
      await expect(
        rebinding('billing-data').createBatch(await as(USERS.alice), {
          source: { cluster: 'east', namespace: 'payments' },
          destination: { entityRef: 'component:default/payments-next' },
          options: { stage: true },
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: `the plan chooses rebind, which has no staging, but the request asks for it (options.stage: true): east/payments/billing-data: ${SAME_VOLUME}; leave out cutoverAt and options.stage, or ask for mode copy`,
      });
      expect((await rows()).transfers).toBe(0);
      expect((await rows()).batches).toBe(0);
    });

    it('accepts a rebind that does not ask to stage, and a request that stages a copy', async () => {
      const w = rebinding('payments-db-data');
      const rebind = await w.create(await as(USERS.alice), request());
      expect(rebind.plan.mode).toBe('rebind');
      const staged = await w.create(await as(USERS.alice), {
        ...request('billing-data'),
        cutoverAt: cutover,
      });
      expect(staged).toMatchObject({ plan: { mode: 'copy' } });
      expect(staged.cutoverAt).toEqual(new Date(cutover));
    });
  });

  describe('decisions', () => {
    const requested = async (user: string = USERS.alice, w = workflow()) =>
      w.create(await as(user), request());

    it('an approval by a source owner records the ownership that allowed it', async () => {
      const t = await requested();
      const after = await workflow().decide(
        await as(USERS.bob),
        t.id,
        'approve',
        { comment: 'go' },
      );
      expect(after).toMatchObject({
        state: 'approved',
        approvedBy: [USERS.bob],
      });
      const { decisions } = await workflow().get(await as(USERS.bob), t.id);
      expect(decisions).toEqual([
        expect.objectContaining({
          kind: 'approve',
          actor: USERS.bob,
          comment: 'go',
          ownership: {
            via: 'owner',
            sourceOwners: ['group:default/team-payments'],
          },
        }),
      ]);
      expect(notices.changes.at(-1)).toMatchObject({
        id: t.id,
        from: 'pending-approval',
        state: 'approved',
        action: 'approve',
        actor: USERS.bob,
        comment: 'go',
      });
    });

    it('refuses self-approval, writing nothing', async () => {
      const t = await requested(USERS.dora);
      const before = await rows();
      for (const kind of ['approve', 'reject'] as const)
        await expect(
          workflow().decide(await as(USERS.dora), t.id, kind, {}),
        ).rejects.toMatchObject({
          name: 'NotAllowedError',
          message: expect.stringMatching(
            new RegExp(`you requested this transfer, so you cannot ${kind} it`),
          ),
        });
      expect(await rows()).toEqual(before);
      // config may allow it
      access.allowSelfApproval = true;
      expect(
        (await workflow().decide(await as(USERS.dora), t.id, 'approve', {}))
          .state,
      ).toBe('approved');
    });

    it('answers a non-owner 403 and someone who may not read it 404, writing nothing', async () => {
      const t = await requested();
      const before = await rows();
      await expect(
        workflow().decide(await as(USERS.erin), t.id, 'approve', {}),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      await expect(
        workflow().decide(await as(USERS.alice), t.id, 'approve', {}),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
      });
      await expect(
        workflow().decide(await as(USERS.bob), 'no-such-id', 'approve', {}),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message: 'no transfer no-such-id',
      });
      expect(await rows()).toEqual(before);
    });

    it('asks ownership at decision time: a claim disowned since the request cannot be approved by its old owner', async () => {
      const t = await requested();
      access.disowned.add('east/payments/payments-db-data');
      await expect(
        workflow().decide(await as(USERS.bob), t.id, 'approve', {}),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      expect(
        (await workflow().decide(await as(USERS.admin), t.id, 'approve', {}))
          .state,
      ).toBe('approved');
    });

    it('counts distinct approvals up to the required number', async () => {
      const w = workflow({ requiredApprovals: 2 });
      const t = await requested(USERS.alice, w);
      expect(
        (await w.decide(await as(USERS.bob), t.id, 'approve', {})).state,
      ).toBe('pending-approval');
      expect(
        (await w.decide(await as(USERS.dora), t.id, 'approve', {})).state,
      ).toBe('approved');
    });

    it('refuses to approve a request past its expiry with a 409', async () => {
      const t = await requested();
      clock.advance(CONFIG.expireAfterMs + 1000);
      try {
        await expect(
          workflow().decide(await as(USERS.bob), t.id, 'approve', {}),
        ).rejects.toMatchObject({
          name: 'ConflictError',
          message: expect.stringMatching(
            /^cannot approve: the request expired at/,
          ),
        });
      } finally {
        clock.advance(-(CONFIG.expireAfterMs + 1000));
      }
    });

    it('cancels, retries (back to the owners, it never ran) and names the state of an illegal move', async () => {
      const t = await requested();
      const w = workflow();
      expect(
        (await w.decide(await as(USERS.alice), t.id, 'cancel', {})).state,
      ).toBe('cancelled');
      await expect(
        w.decide(await as(USERS.alice), t.id, 'cutover', {}),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'cannot cutover: the transfer is cancelled; cutover is possible only when it is staged',
      });
      const retried = await w.decide(await as(USERS.alice), t.id, 'retry', {});
      expect(retried).toMatchObject({ state: 'pending-approval', attempt: 2 });
      await expect(
        w.decide(await as(USERS.carol), t.id, 'cancel', {}),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    });
  });

  describe('what the worker left', () => {
    it('resumes a failure past its point of no return and cuts a staged transfer over, waking the worker', async () => {
      const woken: string[] = [];
      const w = workflow(
        {},
        { onDecided: (t: { id: string }) => woken.push(t.id) },
      );
      const t = await w.create(await as(USERS.alice), request());
      await db('transfers').where({ id: t.id }).update({
        state: 'failed',
        past_point_of_no_return: true,
        started_at: clock.now(),
      });
      await expect(
        w.decide(await as(USERS.alice), t.id, 'retry', {}),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(/resume it instead of retrying/),
      });
      expect(
        (await w.decide(await as(USERS.alice), t.id, 'resume', {})).state,
      ).toBe('approved');

      await db('transfers')
        .where({ id: t.id })
        .update({ state: 'staged', past_point_of_no_return: false });
      const cut = await w.decide(await as(USERS.bob), t.id, 'cutover', {
        comment: 'now',
      });
      expect(cut).toMatchObject({ state: 'staged', cutoverAt: clock.now() });
      expect(woken).toEqual([t.id, t.id]);
      expect(
        notices.changes.slice(1).map(c => [c.action, c.from, c.state]),
      ).toEqual([
        ['resume', 'failed', 'approved'],
        ['cutover', 'staged', 'staged'],
      ]);
    });
  });

  describe('reading', () => {
    it('lists what each caller may read, and what waits for their approval', async () => {
      const w = workflow();
      const mine = await w.create(await as(USERS.alice), request());
      const other = await w.create(await as(USERS.admin), {
        ...request('billing-data'),
        destination: { entityRef: 'component:default/payments-db' },
      });
      const ids = async (user: string) =>
        (await w.list(await as(user), {})).items.map(t => t.id).sort();
      expect(await ids(USERS.alice)).toEqual([mine.id]);
      expect(await ids(USERS.carol)).toEqual([]);
      expect(await ids(USERS.admin)).toEqual([mine.id, other.id].sort());
      // erin owns billing's source; bob owns payments-db (the other's destination and mine's source)
      expect(await ids(USERS.bob)).toEqual([mine.id, other.id].sort());
      const waiting = async (user: string) =>
        (await w.waitingForApproval(await as(user), {})).items
          .map(t => t.id)
          .sort();
      expect(await waiting(USERS.bob)).toEqual([mine.id]);
      expect(await waiting(USERS.erin)).toEqual([other.id]);
      expect(await waiting(USERS.alice)).toEqual([]);
      expect(await waiting(USERS.admin)).toEqual([mine.id]); // not their own request
      expect(await w.countsByState(await as(USERS.alice))).toMatchObject({
        'pending-approval': 1,
      });
      expect(await w.countsByState(await as(USERS.admin))).toMatchObject({
        'pending-approval': 2,
      });
      expect(
        (await w.list(await as(USERS.admin), { state: ['approved'] })).items,
      ).toEqual([]);
    });

    it('reads the events of a readable transfer from a cursor, and hides others', async () => {
      const w = workflow();
      const t = await w.create(await as(USERS.alice), request());
      await w.decide(await as(USERS.bob), t.id, 'approve', {});
      const events = await w.events(await as(USERS.alice), t.id, {});
      expect(events.map(e => e.kind)).toEqual(['state', 'decision', 'state']);
      const after = await w.events(await as(USERS.alice), t.id, {
        after: events[0].id,
      });
      expect(after).toHaveLength(2);
      await expect(
        w.events(await as(USERS.carol), t.id, {}),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('gives bytes per day to auditors only', async () => {
      const range = {
        from: new Date('2026-11-01'),
        to: new Date('2026-12-31'),
      };
      expect(
        await workflow().bytesMovedPerDay(await as(USERS.admin), range),
      ).toEqual([]);
      await expect(
        workflow().bytesMovedPerDay(await as(USERS.alice), range),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringMatching(/audit permission/),
      });
    });

    it('gives transfers per day and state to auditors only', async () => {
      const w = workflow();
      const t = await w.create(await as(USERS.alice), request());
      await w.create(await as(USERS.alice), request('payments-db-wal'));
      await w.decide(await as(USERS.bob), t.id, 'reject', {});
      const range = {
        from: new Date('2026-11-01'),
        to: new Date('2026-12-31'),
      };
      expect(await w.transfersPerDay(await as(USERS.admin), range)).toEqual([
        {
          day: '2026-12-01',
          counts: { rejected: 1, 'pending-approval': 1 },
        },
      ]);
      await expect(
        w.transfersPerDay(await as(USERS.alice), range),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringMatching(/audit permission/),
      });
    });

    it('counts by state only what the caller may read that matches the filters', async () => {
      const w = workflow();
      await w.create(await as(USERS.alice), request());
      await w.create(await as(USERS.admin), {
        ...request('billing-data'),
        destination: { entityRef: 'component:default/payments-db' },
      });
      const pending = async (user: string, q = {}) =>
        (await w.countsByState(await as(user), q))['pending-approval'];
      expect(await pending(USERS.admin)).toBe(2);
      expect(await pending(USERS.admin, { requester: USERS.alice })).toBe(1);
      expect(await pending(USERS.admin, { cluster: 'nowhere' })).toBe(0);
      expect(
        await pending(USERS.admin, {
          entityRef: 'component:default/billing-db',
        }),
      ).toBe(1);
      // alice reads only her own, whatever the filter asks
      expect(await pending(USERS.alice, { cluster: 'east' })).toBe(1);
      await expect(
        w.countsByState(await as(USERS.admin), {
          createdAfter: '2026-12-02T00:00:00Z',
          createdBefore: '2026-12-01T00:00:00Z',
        }),
      ).rejects.toMatchObject({ name: 'InputError' });
    });

    it('tells a user what they may do in the plugin', async () => {
      access.allowSelfApproval = true;
      expect(
        await workflow({ requiredApprovals: 2 }).me(await as(USERS.alice)),
      ).toEqual({
        userEntityRef: USERS.alice,
        isAdmin: false,
        canAudit: false,
        allowSelfApproval: true,
        requiredApprovals: 2,
        cutoverWindows: nightlyWindows.list(),
      });
      expect(await workflow().me(await as(USERS.admin))).toMatchObject({
        isAdmin: true,
        canAudit: true,
      });
      await expect(
        workflow().me(await access.caller(mockCredentials.service())),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
    });

    it('shows each caller the decisions they may take now, judged once per answer', async () => {
      const w = workflow();
      const t = await w.create(await as(USERS.alice), request());
      // the requester may cancel, not approve their own; the source owner may decide
      expect(t.allowedActions).toEqual(['cancel']);
      const actions = async (user: string) =>
        (await w.get(await as(user), t.id)).transfer.allowedActions;
      expect(await actions(USERS.bob)).toEqual(['approve', 'reject', 'cancel']);
      expect(await actions(USERS.admin)).toEqual([
        'approve',
        'reject',
        'cancel',
      ]);
      const approved = await w.decide(await as(USERS.bob), t.id, 'approve', {});
      expect(approved.allowedActions).toEqual(['cancel']);
      const before = access.judges;
      const listed = await w.list(await as(USERS.bob), {});
      expect(listed.items.map(i => i.allowedActions)).toEqual([['cancel']]);
      expect(access.judges - before).toBe(1);
      // a service sees nothing it could do
      expect(
        (await w.list(await access.caller(mockCredentials.service()), {}))
          .items,
      ).toEqual([]);
    });

    it('exports every readable transfer as rows, page after page', async () => {
      const w = workflow({}, { exportPageSize: 2 });
      for (const claim of [
        'payments-db-data',
        'payments-db-wal',
        'billing-data',
      ])
        await w.create(await as(USERS.alice), request(claim));
      const rowsOf = async (user: string) => {
        const out = [];
        for await (const page of w.exportPages(await as(user), {})) {
          expect(page.length).toBeLessThanOrEqual(2);
          out.push(...page);
        }
        return out;
      };
      const all = await rowsOf(USERS.alice);
      expect(all.map(r => r.sourceClaim).sort()).toEqual([
        'billing-data',
        'payments-db-data',
        'payments-db-wal',
      ]);
      expect(all[0]).toMatchObject({
        state: 'pending-approval',
        requester: USERS.alice,
        url: expect.stringMatching(/^https:\/\/portal/),
      });
      expect(await rowsOf(USERS.carol)).toEqual([]);
    });

    it('offers the caller their destinations with each cluster’s storage classes', async () => {
      clusters.failing.add('east');
      expect(await workflow().destinations(await as(USERS.dora))).toEqual({
        destinations: [
          expect.objectContaining({
            entityRef: 'component:default/payments-db',
            cluster: 'east',
          }),
          expect.objectContaining({
            entityRef: 'component:default/payments-next',
            cluster: 'west',
          }),
        ],
        clusters: [
          {
            cluster: 'east',
            storageClasses: [],
            error: 'could not read its storage classes: east did not answer',
          },
          {
            cluster: 'west',
            storageClasses: [{ name: 'standard', isDefault: true }],
          },
        ],
      });
    });
  });
});
