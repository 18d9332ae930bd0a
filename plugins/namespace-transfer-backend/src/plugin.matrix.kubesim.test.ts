/*
 * The authorisation matrix of issue 16 over every route of the workflow, through the whole plugin
 * (startTestBackend: the real TransferAccess reading ownership from the catalog mock and from two kube-sim
 * clusters, the engine's real plan), for anonymous, non-owner, requester, source owner, destination owner and
 * admin, under an allow-all policy and under the demo's policy (the audit view only for admins). The plugin
 * checks ownership itself: an allow-all policy makes nobody an approver who does not own the source.
 */
import request from 'supertest';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { SimWorld } from 'kube-sim';
import {
  demoPolicy,
  headersOf,
  REQUEST,
  Role,
  ROLE_NAMES,
  Server,
  startPlugin,
  startWorld,
} from './service/__testUtils__/pluginWorld';

jest.setTimeout(300_000);

let world: SimWorld;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.stop();
});

const API = '/api/namespace-transfer';

/** Runs the same question as every role; the answer is what the matrix shows for that role. */
async function matrix(
  ask: (role: Role) => Promise<string | number>,
): Promise<Record<Role, string | number>> {
  const row = {} as Record<Role, string | number>;
  for (const role of ROLE_NAMES) row[role] = await ask(role);
  return row;
}

const row = (
  anonymous: string | number,
  nonOwner: string | number,
  requester: string | number,
  sourceOwner: string | number,
  destinationOwner: string | number,
  admin: string | number,
) => ({
  anonymous,
  nonOwner,
  requester,
  sourceOwner,
  destinationOwner,
  admin,
});

/** What each policy should give: the rows that differ between them are the decisions the policy narrows. */
const EXPECTED = {
  'allow-all': {
    read: row(401, 404, 200, 200, 200, 200),
    events: row(401, 404, 200, 200, 200, 200),
    list: row(401, '200:0', '200:1', '200:1', '200:1', '200:1'),
    export: row(401, '200:0', '200:1', '200:1', '200:1', '200:1'),
    pendingApprovals: row(401, '200:0', '200:0', '200:1', '200:0', '200:1'),
    counts: row(401, '200:0', '200:1', '200:1', '200:1', '200:1'),
    bytesPerDay: row(401, 403, 403, 403, 403, 200),
    transfersPerDay: row(401, 403, 403, 403, 403, 200),
    // what GET /me says of each, and what each may do to the pending request: the decision rows below
    me: row(401, 'user', 'user', 'user', 'user', 'admin,audit'),
    allowedActions: row(
      401,
      404,
      'cancel',
      'approve,reject,cancel',
      '',
      'approve,reject,cancel',
    ),
    destinations: row(401, '200:0', '200:1', '200:1', '200:1', 200),
    plan: row(401, 403, 200, 403, 200, 200),
    request: row(401, 403, 201, 403, 201, 201),
    batch: row(401, 403, 201, 403, 201, 201),
    approve: row(401, 404, 403, 200, 403, 200),
    reject: row(401, 404, 403, 200, 403, 200),
    cancel: row(401, 404, 200, 200, 403, 200),
    retry: row(401, 404, 200, 200, 403, 200),
    // allowed, but a pending request can be neither resumed nor cut over: 409 naming its state
    resume: row(401, 404, 409, 409, 403, 409),
    cutover: row(401, 404, 409, 409, 403, 409),
  },
  demo: {} as Record<string, ReturnType<typeof row>>,
};
// the demo policy denies only the audit permission to non-admins, and reading everything is the admins'
// anyway: approvals, cancels and the rest are decided by ownership, exactly as under allow-all
EXPECTED.demo = EXPECTED['allow-all'];

describe.each([
  [
    'allow-all',
    mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
  ],
  ['demo', demoPolicy],
] as const)(
  'the authorisation matrix under the %s policy',
  (policy, permissions) => {
    let server: Server;
    let stop: () => Promise<void>;
    const expected = EXPECTED[policy];

    beforeAll(async () => {
      const backend = await startPlugin(world, permissions);
      server = backend.server;
      stop = () => backend.stop();
    });

    afterAll(async () => {
      await stop?.();
    });

    const requested = async () => {
      const res = await request(server)
        .post(`${API}/transfers`)
        .set(headersOf('requester'))
        .send(REQUEST);
      expect(res.status).toBe(201);
      return res.body.id as string;
    };

    it('on reading, with one pending request', async () => {
      const id = await requested();
      const get = (path: string) => async (role: Role) =>
        request(server).get(`${API}${path}`).set(headersOf(role));
      const items = (path: string) => async (role: Role) => {
        const res = await get(path)(role);
        return res.status === 200 ? `200:${res.body.items.length}` : res.status;
      };
      const actual = {
        read: await matrix(
          async r => (await get(`/transfers/${id}`)(r)).status,
        ),
        events: await matrix(
          async r => (await get(`/transfers/${id}/events`)(r)).status,
        ),
        list: await matrix(items('/transfers')),
        export: await matrix(async r => {
          const res = await get('/transfers/export.csv')(r);
          return res.status === 200
            ? `200:${res.text.trim().split('\n').length - 1}`
            : res.status;
        }),
        pendingApprovals: await matrix(items('/approvals/pending')),
        counts: await matrix(async r => {
          const res = await get('/stats/states')(r);
          return res.status === 200
            ? `200:${res.body.counts['pending-approval']}`
            : res.status;
        }),
        bytesPerDay: await matrix(
          async r =>
            (
              await get(
                '/stats/bytes-per-day?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z',
              )(r)
            ).status,
        ),
        transfersPerDay: await matrix(
          async r =>
            (
              await get(
                '/stats/transfers-per-day?from=2026-01-01T00:00:00Z&to=2100-01-01T00:00:00Z',
              )(r)
            ).status,
        ),
        me: await matrix(async r => {
          const res = await get('/me')(r);
          if (res.status !== 200) return res.status;
          const { isAdmin, canAudit } = res.body;
          return isAdmin || canAudit
            ? [isAdmin && 'admin', canAudit && 'audit'].filter(Boolean).join()
            : 'user';
        }),
        allowedActions: await matrix(async r => {
          const res = await get(`/transfers/${id}`)(r);
          return res.status === 200
            ? res.body.transfer.allowedActions.join()
            : res.status;
        }),
        destinations: await matrix(async r => {
          const res = await get('/destinations')(r);
          // an admin may request into every configured namespace: how many depends on the clusters
          return res.status === 200 && r !== 'admin'
            ? `200:${res.body.destinations.length}`
            : res.status;
        }),
      };
      const reads = Object.keys(actual) as Array<keyof typeof actual>;
      expect(actual).toEqual(
        Object.fromEntries(reads.map(k => [k, expected[k]])),
      );
    });

    it('on requesting', async () => {
      const post = (path: string, body: object) => async (role: Role) =>
        (
          await request(server)
            .post(`${API}${path}`)
            .set(headersOf(role))
            .send(body)
        ).status;
      const actual = {
        plan: await matrix(post('/plans', REQUEST)),
        request: await matrix(post('/transfers', REQUEST)),
        batch: await matrix(
          post('/batches', {
            source: {
              cluster: 'east',
              namespace: 'payments',
              claims: ['payments-data'],
            },
            destination: REQUEST.destination,
          }),
        ),
      };
      expect(actual).toEqual({
        plan: expected.plan,
        request: expected.request,
        batch: expected.batch,
      });
    });

    it('on deciding, each role on a request of its own', async () => {
      const decide = (kind: string, prepare?: (id: string) => Promise<void>) =>
        matrix(async role => {
          const id = await requested();
          await prepare?.(id);
          return (
            await request(server)
              .post(`${API}/transfers/${id}/${kind}`)
              .set(headersOf(role))
              .send({ comment: `${kind} by ${role}` })
          ).status;
        });
      const cancelledByAdmin = async (id: string) => {
        const res = await request(server)
          .post(`${API}/transfers/${id}/cancel`)
          .set(headersOf('admin'))
          .send({});
        expect(res.status).toBe(200);
      };
      const actual = {
        approve: await decide('approve'),
        reject: await decide('reject'),
        cancel: await decide('cancel'),
        retry: await decide('retry', cancelledByAdmin),
        resume: await decide('resume'),
        cutover: await decide('cutover'),
      };
      expect(actual).toEqual({
        approve: expected.approve,
        reject: expected.reject,
        cancel: expected.cancel,
        retry: expected.retry,
        resume: expected.resume,
        cutover: expected.cutover,
      });
    });
  },
);
