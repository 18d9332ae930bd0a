import express from 'express';
import request from 'supertest';
import Ajv from 'ajv';
import type { Knex } from 'knex';
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

/*
 * The answers of the workflow's routes checked against the schemas the OpenAPI document gives for them, so
 * that the document describes what the routes send, not only which routes there are.
 */

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema(openApiDocument as object, 'openapi');

/** The documented schema of an answer, its $refs resolved within the document. */
function responseSchema(path: string, method: string, status: number) {
  const pointer = [
    'paths',
    path,
    method,
    'responses',
    String(status),
    'content',
    'application/json',
    'schema',
  ]
    .map(p => p.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/');
  const validate = ajv.getSchema(`openapi#/${pointer}`);
  if (!validate)
    throw new Error(`${method} ${path} documents no ${status} JSON`);
  return validate;
}

const user = (ref: string) => ({
  Authorization: mockCredentials.user.header(ref),
});

describe('the answers of the workflow routes', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let db: Knex;
  let server: express.Express;

  beforeAll(async () => {
    db = await databases.init('SQLITE_3');
    await migrateToLatest(db);
    const workflow = new TransferWorkflow({
      store: new TransferStore(db),
      access: new FakeAccess(),
      notices: new RecordingNotices(),
      planner: new FakePlanner(),
      clusters: fakeClusters(),
      windows: nightlyWindows,
      config: {
        requiredApprovals: 1,
        expireAfterMs: 86_400_000,
        defaults: { mode: 'auto', intent: 'move', options: {} },
        portalUrl: '/namespace-transfer/transfers/',
      },
    });
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      volumes: { getEntityVolumes: jest.fn() },
      clusterStatuses: async () => [],
      workflow,
    });
    server = express().use(router).use(mockErrorHandler());
  });

  it('match their documented schemas, errors included', async () => {
    const body = {
      source: {
        cluster: 'east',
        namespace: 'payments',
        claim: 'payments-db-data',
      },
      destination: { entityRef: 'component:default/payments-next' },
    };
    const checks: Array<[string, string, request.Response]> = [];
    const ask = async (
      path: string,
      method: 'get' | 'post',
      url: string,
      as: string,
      sent?: object,
    ) => {
      const q = request(server)[method](url).set(user(as));
      const res = await (sent ? q.send(sent) : q);
      checks.push([path, method, res]);
      return res;
    };

    const created = await ask(
      '/transfers',
      'post',
      '/transfers',
      USERS.alice,
      body,
    );
    const id = created.body.id;
    await ask('/plans', 'post', '/plans', USERS.alice, body);
    await ask('/batches', 'post', '/batches', USERS.alice, {
      source: {
        cluster: 'east',
        namespace: 'payments',
        claims: ['billing-data'],
      },
      destination: body.destination,
    });
    await ask('/transfers', 'get', '/transfers', USERS.alice);
    await ask('/approvals/pending', 'get', '/approvals/pending', USERS.bob);
    await ask(
      '/transfers/{id}/approve',
      'post',
      `/transfers/${id}/approve`,
      USERS.bob,
      {},
    );
    await ask('/transfers/{id}', 'get', `/transfers/${id}`, USERS.alice);
    await ask(
      '/transfers/{id}/events',
      'get',
      `/transfers/${id}/events`,
      USERS.alice,
    );
    await ask('/destinations', 'get', '/destinations', USERS.alice);
    await ask('/stats/states', 'get', '/stats/states', USERS.alice);
    await ask(
      '/stats/states',
      'get',
      '/stats/states?cluster=east&requester=user:default/alice',
      USERS.alice,
    );
    await ask('/me', 'get', '/me', USERS.alice);
    await ask(
      '/stats/transfers-per-day',
      'get',
      '/stats/transfers-per-day?from=2026-01-01T00:00:00Z&to=2100-01-01T00:00:00Z',
      USERS.admin,
    );
    await ask(
      '/stats/bytes-per-day',
      'get',
      '/stats/bytes-per-day?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z',
      USERS.admin,
    );
    // refusals: each with the documented status and the Error schema
    await ask(
      '/transfers/{id}/cutover',
      'post',
      `/transfers/${id}/cutover`,
      USERS.alice,
      {},
    );
    await ask('/transfers/{id}', 'get', `/transfers/${id}`, USERS.carol);
    await ask('/transfers', 'post', '/transfers', USERS.alice, { source: {} });
    await ask(
      '/stats/states',
      'get',
      '/stats/states?state=failed',
      USERS.alice,
    );
    await ask(
      '/stats/transfers-per-day',
      'get',
      '/stats/transfers-per-day?from=2026-01-01T00:00:00Z&to=2100-01-01T00:00:00Z',
      USERS.alice,
    );

    const problems = checks.flatMap(([path, method, res]) => {
      const validate = responseSchema(path, method, res.status);
      return validate(res.body)
        ? []
        : [
            `${method} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}`,
          ];
    });
    expect(problems).toEqual([]);
    // the check can fail: an answer without what the document requires does not pass
    expect(responseSchema('/transfers', 'post', 201)({ id })).toBe(false);
    expect(responseSchema('/transfers/{id}', 'get', 404)({})).toBe(false);
    expect(checks.map(([, , res]) => res.status)).toEqual([
      201, 200, 201, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 409,
      404, 400, 400, 403,
    ]);
  });
});
