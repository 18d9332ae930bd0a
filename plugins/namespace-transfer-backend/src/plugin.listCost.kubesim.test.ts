/*
 * What one page of transfers costs: the plugin on kube-sim with a catalog that counts its calls, 100
 * transfers in its database, and the list asked by an owner and an admin. Every transfer comes with what
 * the caller may do to it (allowedActions), and the catalog is asked a fixed number of times per request,
 * not once per transfer.
 */
import request from 'supertest';
import type { Knex } from 'knex';
import {
  createServiceFactory,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  catalogServiceRef,
  type CatalogService,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { SimWorld } from 'kube-sim';
import { TransferStore } from './store';
import { newTransfer } from './store/__testUtils__/transfers';
import {
  demoPolicy,
  ENTITIES,
  headersOf,
  type Role,
  type Server,
  startPlugin,
  startWorld,
} from './service/__testUtils__/pluginWorld';

jest.setTimeout(120_000);

const API = '/api/namespace-transfer';
const PAGE = 100;

/** every call the plugin makes to the catalog, by method */
const catalogCalls: string[] = [];
function countingCatalog(): ServiceFactory {
  const real = catalogServiceMock({ entities: ENTITIES });
  const counting = new Proxy(real, {
    get: (target, name) => {
      const member = (target as unknown as Record<string | symbol, unknown>)[
        name
      ];
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        catalogCalls.push(String(name));
        return (member as Function).apply(target, args);
      };
    },
  }) as CatalogService;
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => counting,
  });
}

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
let world: SimWorld;
let db: Knex;
let server: Server;
let stop: () => Promise<void>;

beforeAll(async () => {
  world = await startWorld();
  db = await databases.init('SQLITE_3');
  const backend = await startPlugin(world, demoPolicy, countingCatalog(), {
    services: [mockServices.database.factory({ knex: db })],
  });
  server = backend.server;
  stop = () => backend.stop();
  // the plugin migrated its database on start; the transfers are stored as requests would store them
  const store = new TransferStore(db);
  for (let i = 0; i < PAGE; i++)
    await store.createTransfer(newTransfer({ comment: `request ${i}` }));
});

afterAll(async () => {
  await stop?.();
  await world?.stop();
});

async function listed(role: Role, path: string) {
  catalogCalls.length = 0;
  const res = await request(server).get(`${API}${path}`).set(headersOf(role));
  expect([path, res.status]).toEqual([path, 200]);
  return { items: res.body.items, calls: [...catalogCalls] };
}

describe('a page of 100 transfers', () => {
  it.each<[Role, string, string[]]>([
    ['sourceOwner', '/transfers', ['approve', 'reject', 'cancel']],
    ['requester', '/transfers', ['cancel']],
    ['admin', '/transfers', ['approve', 'reject', 'cancel']],
    ['sourceOwner', '/approvals/pending', ['approve', 'reject', 'cancel']],
  ])(
    'as %s at %s: each with its allowed actions, the catalog asked at most twice',
    async (role, path, actions) => {
      const { items, calls } = await listed(role, `${path}?limit=${PAGE}`);
      expect(items).toHaveLength(PAGE);
      expect(
        new Set(
          items.map((t: { allowedActions: string[] }) =>
            t.allowedActions.join(),
          ),
        ),
      ).toEqual(new Set([actions.join()]));
      expect(items[0].comment).toMatch(/^request \d+$/);
      // the caller's owned entities (what they may read), and the owners of the page's entities
      expect(calls.length).toBeLessThanOrEqual(2);
    },
  );
});
