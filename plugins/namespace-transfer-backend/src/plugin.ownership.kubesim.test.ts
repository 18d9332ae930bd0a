/*
 * Ownership read at decision time through the whole plugin (issue 16): the catalog changes after a request,
 * and the approval follows the catalog as it is now, not as it was when the request was made.
 */
import request from 'supertest';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  catalogServiceRef,
  type CatalogService,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { SimWorld } from 'kube-sim';
import {
  ENTITIES,
  headersOf,
  ID,
  NS,
  REQUEST,
  Role,
  Server,
  startPlugin,
  startWorld,
} from './service/__testUtils__/pluginWorld';

jest.setTimeout(180_000);

const API = '/api/namespace-transfer';

const entity = (
  name: string,
  annotations: Record<string, string>,
  owner: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { owner, type: 'service', lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

/** The catalog as it is now: a test replaces it between the request and the decision. */
let catalogNow = catalogServiceMock({ entities: ENTITIES });
const mutableCatalog = createServiceFactory({
  service: catalogServiceRef,
  deps: {},
  factory: () =>
    new Proxy({} as CatalogService, {
      // only the catalog's methods: the backend asks the service for `then` too (is it a promise?)
      get: (_t, name) => {
        const member = (
          catalogNow as unknown as Record<string | symbol, unknown>
        )[name];
        return typeof member === 'function' ? member.bind(catalogNow) : member;
      },
    }),
});

let world: SimWorld;
let server: Server;
let stop: () => Promise<void>;

beforeAll(async () => {
  world = await startWorld();
  const backend = await startPlugin(
    world,
    mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    mutableCatalog,
  );
  server = backend.server;
  stop = () => backend.stop();
});

afterAll(async () => {
  await stop?.();
  await world?.stop();
});

beforeEach(() => {
  catalogNow = catalogServiceMock({ entities: ENTITIES });
});

async function requested(): Promise<string> {
  const res = await request(server)
    .post(`${API}/transfers`)
    .set(headersOf('requester'))
    .send(REQUEST);
  expect(res.status).toBe(201);
  return res.body.id;
}

const approve = async (id: string, role: Role) =>
  request(server)
    .post(`${API}/transfers/${id}/approve`)
    .set(headersOf(role))
    .send({});

const catalogWith = (...more: Entity[]) =>
  catalogServiceMock({ entities: [...ENTITIES, ...more] });

it('refuses the approval of a source owner whose ownership was removed after the request', async () => {
  const id = await requested();
  catalogNow = catalogServiceMock({
    entities: [
      entity(
        'payments-db',
        { [ID]: 'payments-db', [NS]: 'payments' },
        'group:default/someone-else',
      ),
      ENTITIES[1],
    ],
  });
  const res = await approve(id, 'sourceOwner');
  expect([res.status, res.body.error?.message]).toEqual([
    404,
    `no transfer ${id}`,
  ]);
  expect((await approve(id, 'admin')).status).toBe(200);
});

it('leaves a volume that a second entity claims to the admins alone', async () => {
  const id = await requested();
  catalogNow = catalogWith(
    entity(
      'payments-db-too',
      { [ID]: 'payments-db', [NS]: 'payments' },
      'user:default/carol',
    ),
  );
  const owner = await approve(id, 'sourceOwner');
  const claimant = await approve(id, 'nonOwner');
  expect([owner.status, claimant.status]).toEqual([403, 404]);
  expect(owner.body.error.message).toMatch(
    /nobody but the admins \(namespaceTransfer.admins\) may approve it: .* is claimed by several catalog entities \(component:default\/payments-db, component:default\/payments-db-too\)/,
  );
  const admin = await approve(id, 'admin');
  expect(admin.status).toBe(200);
});

it('grants nothing through an entity whose selector has no equality part', async () => {
  const id = await requested();
  catalogNow = catalogWith(
    entity(
      'everything',
      {
        [NS]: 'payments',
        'backstage.io/kubernetes-label-selector': 'app!=none',
      },
      'user:default/carol',
    ),
  );
  expect((await approve(id, 'nonOwner')).status).toBe(404);
  // it does not count as a second claimant either: the owner still decides, and the decision records why
  expect((await approve(id, 'sourceOwner')).status).toBe(200);
  const detail = await request(server)
    .get(`${API}/transfers/${id}`)
    .set(headersOf('requester'));
  expect(detail.body.decisions).toEqual([
    expect.objectContaining({
      kind: 'approve',
      actor: 'user:default/bob',
      ownership: expect.objectContaining({
        matched: ['group:default/team-payments'],
      }),
    }),
  ]);
});

it("stores the destination entity's label for the new claim, the plan and the portal link with a request", async () => {
  const res = await request(server)
    .post(`${API}/transfers`)
    .set(headersOf('requester'))
    .send(REQUEST);
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({
    state: 'pending-approval',
    source: { entityRef: 'component:default/payments-db' },
    destination: {
      cluster: 'west',
      namespace: 'payments-next',
      claim: 'payments-data',
      entityRef: 'component:default/payments-next',
    },
    options: { destinationLabels: { [ID]: 'payments-next' } },
    plan: { allowed: true, mode: 'copy', source: { name: 'payments-data' } },
    url: `http://portal.example.com/namespace-transfer/transfers/${res.body.id}`,
  });
});

it('refuses an owner of both sides the approval of their own request; an admin may give it', async () => {
  // bob's team owns the source and, here, the destination too: he may request, but not approve himself
  catalogNow = catalogServiceMock({
    entities: [
      ENTITIES[0],
      entity(
        'payments-next',
        { [ID]: 'payments-next', [NS]: 'payments-next' },
        'group:default/team-payments',
      ),
    ],
  });
  const res = await request(server)
    .post(`${API}/transfers`)
    .set(headersOf('sourceOwner'))
    .send(REQUEST);
  expect(res.status).toBe(201);
  const own = await approve(res.body.id, 'sourceOwner');
  expect([own.status, own.body.error?.message]).toEqual([
    403,
    expect.stringMatching(
      /^you requested this transfer, so you cannot approve it: .*namespaceTransfer\.approvals\.allowSelfApproval is off$/,
    ),
  ]);
  const detail = await request(server)
    .get(`${API}/transfers/${res.body.id}`)
    .set(headersOf('sourceOwner'));
  expect([detail.body.transfer.state, detail.body.decisions]).toEqual([
    'pending-approval',
    [],
  ]);
  expect((await approve(res.body.id, 'admin')).status).toBe(200);
});
