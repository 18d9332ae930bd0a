import express from 'express';
import request from 'supertest';
import type { Knex } from 'knex';
import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { TransferStore } from '../store';
import { migrateToLatest } from '../store/migrate';
import { TransferWorkflow } from '../service';
import {
  FakeAccess,
  fakeClusters,
  FakePlanner,
  nightlyWindows,
  RecordingNotices,
  USERS,
} from '../service/__testUtils__/world';
import { createRouter } from './createRouter';
import { openApiDocument } from './openapi';
import { statsPaths } from './openapiStats';
import { transferPaths } from './openapiTransfers';

/** What the auditor heard: each event's id, meta and how it ended. */
class RecordingAuditor implements AuditorService {
  readonly events: Array<{
    eventId: string;
    meta?: object;
    outcome?: 'success' | 'fail';
    error?: string;
  }> = [];
  async createEvent(o: AuditorServiceCreateEventOptions) {
    const e: RecordingAuditor['events'][number] = {
      eventId: o.eventId,
      meta: o.meta,
    };
    this.events.push(e);
    return {
      success: async () => {
        e.outcome = 'success';
      },
      fail: async ({ error }: { error: Error }) => {
        e.outcome = 'fail';
        e.error = `${error.name}: ${error.message}`;
      },
    };
  }
}

const user = (ref: string) => ({
  Authorization: mockCredentials.user.header(ref),
});
const anonymous = { Authorization: mockCredentials.none.header() };
const service = { Authorization: mockCredentials.service.header() };

const body = {
  source: { cluster: 'east', namespace: 'payments', claim: 'payments-db-data' },
  destination: { entityRef: 'component:default/payments-next' },
};

const UNKNOWN = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('the transfer routes', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let db: Knex;
  let server: express.Express;
  let auditor: RecordingAuditor;
  let planner: FakePlanner;

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
    db = await databases.init('SQLITE_3');
    await migrateToLatest(db);
  });

  beforeEach(async () => {
    for (const t of ['events', 'decisions', 'transfers', 'batches'])
      await db(t).delete();
    auditor = new RecordingAuditor();
    planner = new FakePlanner();
    const workflow = new TransferWorkflow({
      store: new TransferStore(db),
      access: new FakeAccess(),
      notices: new RecordingNotices(),
      planner,
      clusters: fakeClusters(),
      windows: nightlyWindows,
      config: {
        requiredApprovals: 1,
        expireAfterMs: 86_400_000,
        defaults: { mode: 'auto', intent: 'move', options: {} },
        portalUrl: 'https://portal.example.com/namespace-transfer/transfers/',
      },
      exportPageSize: 2,
    });
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      volumes: { getEntityVolumes: jest.fn() },
      clusterStatuses: async () => [],
      workflow,
      auditor,
    });
    server = express().use(router).use(mockErrorHandler());
  });

  const requested = async (claim = 'payments-db-data') => {
    const res = await request(server)
      .post('/transfers')
      .set(user(USERS.alice))
      .send({ ...body, source: { ...body.source, claim } });
    expect(res.status).toBe(201);
    return res.body as { id: string; url: string; state: string };
  };

  it('takes a request through approval over HTTP, audited, with its portal URL', async () => {
    const t = await requested();
    expect(t).toMatchObject({
      state: 'pending-approval',
      url: `https://portal.example.com/namespace-transfer/transfers/${t.id}`,
    });
    const approved = await request(server)
      .post(`/transfers/${t.id}/approve`)
      .set(user(USERS.bob))
      .send({ comment: 'fine' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      state: 'approved',
      approvedBy: [USERS.bob],
    });

    const got = await request(server)
      .get(`/transfers/${t.id}`)
      .set(user(USERS.alice));
    expect(got.body.decisions).toEqual([
      expect.objectContaining({
        kind: 'approve',
        actor: USERS.bob,
        comment: 'fine',
      }),
    ]);
    const events = await request(server)
      .get(`/transfers/${t.id}/events?limit=1`)
      .set(user(USERS.alice));
    expect(events.body.events).toHaveLength(1);
    const next = await request(server)
      .get(`/transfers/${t.id}/events?after=${events.body.events[0].id}`)
      .set(user(USERS.alice));
    expect(next.body.events.map((e: { kind: string }) => e.kind)).toEqual([
      'decision',
      'state',
    ]);

    expect(auditor.events).toEqual([
      {
        eventId: 'transfer-request',
        meta: { queryType: 'single' },
        outcome: 'success',
      },
      {
        eventId: 'transfer-decision',
        meta: { queryType: 'approve', transferId: t.id },
        outcome: 'success',
      },
    ]);
  });

  it('lists, counts and shows what waits for approval', async () => {
    const t = await requested();
    const list = await request(server)
      .get(
        '/transfers?state=pending-approval&sort=createdAt&order=asc&limit=10',
      )
      .set(user(USERS.alice));
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([t.id]);
    const pending = await request(server)
      .get('/approvals/pending')
      .set(user(USERS.bob));
    expect(pending.body.items.map((i: { id: string }) => i.id)).toEqual([t.id]);
    const counts = await request(server)
      .get('/stats/states')
      .set(user(USERS.alice));
    expect(counts.body.counts).toMatchObject({
      'pending-approval': 1,
      approved: 0,
    });
    const days = await request(server)
      .get(
        '/stats/bytes-per-day?from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z',
      )
      .set(user(USERS.admin));
    expect(days.body).toEqual({ days: [] });
    const destinations = await request(server)
      .get('/destinations')
      .set(user(USERS.alice));
    expect(destinations.body.clusters).toEqual([
      {
        cluster: 'west',
        storageClasses: [{ name: 'standard', isDefault: true }],
      },
    ]);
    const plan = await request(server)
      .post('/plans')
      .set(user(USERS.alice))
      .send(body);
    expect(plan.body).toMatchObject({ allowed: true, mode: 'copy' });
  });

  it('streams the CSV export page after page, defusing formulas', async () => {
    for (const claim of ['payments-db-data', 'payments-db-wal', 'billing-data'])
      await requested(claim);
    await db('transfers')
      .where({ source_claim: 'billing-data' })
      .update({ error: '=HYPERLINK("x")' });
    const res = await request(server)
      .get('/transfers/export.csv')
      .set(user(USERS.alice));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="namespace-transfers-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toMatch(/^id,batchId,state,phase,requester,/);
    // added after the comment, at the end: positions read by older spreadsheets stay where they were
    expect(lines[0]).toMatch(/,url,comment,requestedVia$/);
    expect(lines.slice(1).every(l => l.endsWith(',portal'))).toBe(true);
    expect(lines).toHaveLength(4);
    expect(res.text).toContain(`"'=HYPERLINK(""x"")"`);
    const nobody = await request(server)
      .get('/transfers/export.csv')
      .set(user(USERS.carol));
    expect(nobody.text.trim().split('\n')).toHaveLength(1);
  });

  describe('refuses', () => {
    /** every route of the workflow, with a body where it takes one */
    const routes = Object.entries({
      ...transferPaths,
      ...statsPaths,
    }).flatMap(([path, methods]) =>
      Object.keys(methods).map(method => ({
        method: method as 'get' | 'post',
        path: path.replace('{id}', UNKNOWN),
        documented: path,
      })),
    );
    const send = (
      r: (typeof routes)[number],
      headers: Record<string, string>,
    ) => {
      const q = request(server)
        [r.method](
          r.path.endsWith('-per-day')
            ? `${r.path}?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z`
            : r.path,
        )
        .set(headers);
      return r.method === 'post'
        ? q.send(r.path.startsWith('/transfers/') ? {} : body)
        : q;
    };

    it('anonymous callers on every route with a 401, writing nothing, auditing the mutating ones', async () => {
      expect(routes.length).toBeGreaterThanOrEqual(19);
      for (const r of routes) {
        const res = await send(r, anonymous);
        expect([r.documented, res.status]).toEqual([r.documented, 401]);
      }
      expect(await rows()).toEqual({
        transfers: 0,
        batches: 0,
        decisions: 0,
        events: 0,
      });
      const mutating = routes.filter(
        r => r.method === 'post' && r.path !== '/plans',
      );
      expect(auditor.events).toHaveLength(mutating.length);
      expect(
        auditor.events.every(
          e => e.outcome === 'fail' && /^AuthenticationError/.test(e.error!),
        ),
      ).toBe(true);
    });

    it('services on every route with a 403: transfers are for users', async () => {
      for (const r of routes) {
        const res = await send(r, service);
        expect([r.documented, res.status]).toEqual([r.documented, 403]);
      }
    });

    it.each([
      [
        'post',
        '/transfers',
        'not json',
        400,
        /^the body is not valid JSON \(.*\): send a JSON object/,
      ],
      [
        'post',
        '/transfers',
        { ...body, source: { ...body.source, claim: 'Bad_Name' } },
        400,
        /^invalid transfer request: source.claim must be a DNS-1123 subdomain/,
      ],
      [
        'post',
        '/transfers',
        { ...body, options: { image: 'x' } },
        400,
        /options.image cannot be set by a request: the mover image is the operator's/,
      ],
      [
        'post',
        '/transfers',
        { ...body, source: { ...body.source, cluster: 'north' } },
        400,
        /source.cluster 'north' is not a configured cluster/,
      ],
      [
        'post',
        '/transfers',
        { ...body, destination: { entityRef: 'component:default/nope' } },
        404,
        /no entity component:default\/nope/,
      ],
      [
        'post',
        '/transfers',
        {
          ...body,
          destination: { entityRef: 'component:default/payments-db' },
        },
        403,
        /you do not own/,
      ],
      [
        'post',
        '/transfers',
        { ...body, comment: 'x'.repeat(70_000) },
        413,
        /^the body is larger than 64kb/,
      ],
      [
        'post',
        '/batches',
        {
          ...body,
          source: { cluster: 'east', namespace: 'payments', claims: [] },
        },
        400,
        /at least one claim/,
      ],
      ['post', '/plans', { source: body.source }, 400, /destination: Required/],
      [
        'get',
        '/transfers?state=done',
        undefined,
        400,
        /^invalid query: state must be one of/,
      ],
      [
        'get',
        '/transfers?limit=1000',
        undefined,
        400,
        /limit must be at most 500/,
      ],
      ['get', '/transfers?cursor=garbage', undefined, 400, /cursor/],
      [
        'get',
        '/transfers?createdAfter=2026-12-02T00:00:00Z&createdBefore=2026-12-01T00:00:00Z',
        undefined,
        400,
        /createdAfter must come before createdBefore/,
      ],
      [
        'get',
        '/approvals/pending?sort=size',
        undefined,
        400,
        /sort must be one of/,
      ],
      [
        'get',
        '/transfers/export.csv?entityRef=x',
        undefined,
        400,
        /entityRef must have the form kind:namespace\/name/,
      ],
      [
        'get',
        '/transfers/not-an-id',
        undefined,
        400,
        /'not-an-id' is not a transfer id: ids are UUIDs/,
      ],
      ['get', `/transfers/${UNKNOWN}`, undefined, 404, /no transfer/],
      [
        'get',
        `/transfers/${UNKNOWN}/events?after=x`,
        undefined,
        400,
        /after must be the id of an event/,
      ],
      ['get', `/transfers/${UNKNOWN}/events`, undefined, 404, /no transfer/],
      ['post', `/transfers/${UNKNOWN}/approve`, {}, 404, /no transfer/],
      [
        'post',
        `/transfers/${UNKNOWN}/cancel`,
        { actor: USERS.admin },
        400,
        /Unrecognized key.*actor/,
      ],
      ['post', '/transfers/x/retry', {}, 400, /is not a transfer id/],
      ['get', '/stats/bytes-per-day', undefined, 400, /from: Required/],
      [
        'get',
        '/stats/bytes-per-day?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z',
        undefined,
        400,
        /the time range must start before it ends/,
      ],
    ])(
      '%s %s with %i, saying what to fix, writing nothing',
      async (method, url, sent, status, message) => {
        // bytes per day is the auditors': ask as one so the input is what is refused
        const as = url.startsWith('/stats') ? USERS.admin : USERS.alice;
        let q = request(server)[method as 'get' | 'post'](url).set(user(as));
        if (typeof sent === 'string')
          q = q.set('Content-Type', 'application/json').send(sent);
        else if (sent !== undefined) q = q.send(sent);
        const res = await q;
        expect(res.status).toBe(status);
        expect(res.body.error.message).toMatch(message);
        expect(await rows()).toEqual({
          transfers: 0,
          batches: 0,
          decisions: 0,
          events: 0,
        });
        // the mutating routes record the refusal; reads and the dry run are not audited
        const audited = method === 'post' && url !== '/plans';
        expect(auditor.events.map(e => e.outcome)).toEqual(
          audited ? ['fail'] : [],
        );
      },
    );

    it('a plan the engine refuses with a 400 listing every refusal, storing nothing', async () => {
      planner.refusals.set('payments-db-data', [
        { code: 'InUseUnstoppable', message: 'a bare pod uses it' },
        { code: 'QuotaExceeded', message: 'the quota allows 1Gi' },
      ]);
      const res = await request(server)
        .post('/transfers')
        .set(user(USERS.alice))
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'the engine refuses this transfer, nothing was stored: east/payments/payments-db-data: InUseUnstoppable: a bare pod uses it; east/payments/payments-db-data: QuotaExceeded: the quota allows 1Gi',
      );
      expect((await rows()).transfers).toBe(0);
    });

    it('a wrong state with a 409 naming it, and self-approval with a 403, auditing both', async () => {
      const t = await requested();
      const self = await request(server)
        .post(`/transfers/${t.id}/cutover`)
        .set(user(USERS.alice))
        .send({});
      expect(self.status).toBe(409);
      expect(self.body.error.message).toBe(
        'cannot cutover: the transfer is pending-approval; cutover is possible only when it is staged',
      );
      const before = await rows();
      const denied = await request(server)
        .post(`/transfers/${t.id}/approve`)
        .set(user(USERS.alice))
        .send({});
      expect(denied.status).toBe(403);
      expect(await rows()).toEqual(before);
      expect(
        auditor.events
          .slice(1)
          .map(e => [e.meta, e.outcome, e.error?.split(':')[0]]),
      ).toEqual([
        [{ queryType: 'cutover', transferId: t.id }, 'fail', 'ConflictError'],
        [{ queryType: 'approve', transferId: t.id }, 'fail', 'NotAllowedError'],
      ]);
    });
  });

  it('documents every route it serves, with the request bodies of the schemas it parses with', async () => {
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      volumes: { getEntityVolumes: jest.fn() },
      clusterStatuses: async () => [],
      workflow: {} as TransferWorkflow,
    });
    const served = (router.stack as any[])
      .filter(layer => layer.route)
      .flatMap(layer =>
        Object.keys(layer.route.methods).map(
          m => `${m} ${String(layer.route.path).replace(/:(\w+)/g, '{$1}')}`,
        ),
      )
      .sort();
    const documented = Object.entries(openApiDocument.paths)
      .flatMap(([path, methods]) =>
        Object.keys(methods).map(m => `${m} ${path}`),
      )
      .sort();
    expect(served).toEqual(documented);
    const create = (openApiDocument.paths as any)['/transfers'].post.requestBody
      .content['application/json'].schema;
    expect(create.required).toEqual(['source', 'destination']);
    expect(create.properties.source.properties.claim.pattern).toBeDefined();
  });
});
