/*
 * The resource type registered for real: a backend with the real permissions registry (startTestBackend)
 * and a small plugin that wires the store, the access rules and registerTransferPermissions as plugin.ts
 * does; the permission framework's own endpoints answer from it.
 */
import {
  BackstageCredentials,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  transferReadPermission,
  transferCancelPermission,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import request from 'supertest';
import { createTransferAccess, TransferAccessService } from '../access';
import { ClusterRegistry } from '../clusters';
import { Transfer, TransferStore } from '../store';
import { newTransfer } from '../store/__testUtils__/transfers';
import {
  createTransferConditionalDecision,
  transferConditions,
} from './conditions';
import { registerTransferPermissions } from './register';

const owned = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-namespace': name },
  },
  spec: { owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

const GROUPS: Record<string, string[]> = {
  'user:default/rita': [],
  'user:default/sam': ['group:default/team-shop'],
  'user:default/dora': ['group:default/team-eu'],
};

function claimsOf(options?: { credentials: BackstageCredentials }): string[] {
  const ref = (options?.credentials.principal as { userEntityRef?: string })
    ?.userEntityRef;
  return ref ? [ref, ...GROUPS[ref]] : [];
}

describe('registerTransferPermissions', () => {
  /** the adopter's policy: a permission's name and the user's claims (as a policy gets them) */
  let policy: (permission: string, claims: string[]) => PolicyDecision;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;
  let wired: { store: TransferStore; access: TransferAccessService };
  let stored: Transfer;

  beforeAll(async () => {
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async (requests, options) =>
        requests.map(r => policy(r.permission.name, claimsOf(options))),
      authorize: async (requests, options) =>
        requests.map(r => ({
          result:
            policy(r.permission.name, claimsOf(options)).result ===
            AuthorizeResult.ALLOW
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        })),
    });
    const testPlugin = createBackendPlugin({
      pluginId: 'namespace-transfer',
      register(env) {
        env.registerInit({
          deps: {
            database: coreServices.database,
            auth: coreServices.auth,
            permissions: coreServices.permissions,
            permissionsRegistry: coreServices.permissionsRegistry,
            catalog: catalogServiceRef,
          },
          async init(deps) {
            const store = await TransferStore.create(deps.database);
            const access = createTransferAccess({
              access: { admins: [], allowSelfApproval: false },
              auth: deps.auth,
              userInfo: {
                getUserInfo: async credentials => {
                  const ref = (
                    credentials.principal as { userEntityRef: string }
                  ).userEntityRef;
                  return {
                    userEntityRef: ref,
                    ownershipEntityRefs: [ref, ...GROUPS[ref]],
                  };
                },
              },
              permissions: deps.permissions,
              permissionsRegistry: deps.permissionsRegistry,
              catalog: deps.catalog,
              registry: new ClusterRegistry([]),
              timeoutMs: 5_000,
            });
            registerTransferPermissions(deps.permissionsRegistry, store, t =>
              access.transferResource(t),
            );
            wired = { store, access };
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        testPlugin,
        permissions.factory,
        catalogServiceMock.factory({
          entities: [
            owned('shop', 'group:default/team-shop'),
            owned('shop-eu', 'group:default/team-eu'),
          ],
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    stored = await wired.store.createTransfer(
      newTransfer({
        source: {
          cluster: 'east',
          namespace: 'shop',
          claim: 'shop-data',
          entityRef: 'component:default/shop',
        },
        destination: {
          cluster: 'west',
          namespace: 'shop-eu',
          claim: 'shop-data',
          entityRef: 'component:default/shop-eu',
        },
        requester: 'user:default/rita',
      }),
    );
  });

  afterAll(async () => {
    await stop?.();
  });

  beforeEach(() => {
    policy = () => ({ result: AuthorizeResult.ALLOW });
  });

  const wellKnown = '/api/namespace-transfer/.well-known/backstage/permissions';

  it('publishes the permissions, the resource type and its rules with their params', async () => {
    const res = await request(server)
      .get(`${wellKnown}/metadata`)
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    expect(
      res.body.permissions.map((p: { name: string }) => p.name).sort(),
    ).toEqual([
      'namespace-transfer.transfer.approve',
      'namespace-transfer.transfer.audit',
      'namespace-transfer.transfer.cancel',
      'namespace-transfer.transfer.create',
      'namespace-transfer.transfer.read',
    ]);
    expect(
      res.body.rules.map((r: { name: string; resourceType: string }) => [
        r.name,
        r.resourceType,
      ]),
    ).toEqual([
      ['IS_REQUESTER', 'namespace-transfer'],
      ['IS_SOURCE_OWNER', 'namespace-transfer'],
      ['IS_DESTINATION_OWNER', 'namespace-transfer'],
    ]);
    expect(res.body.rules[0].paramsSchema).toMatchObject({
      properties: { claims: { type: 'array' } },
    });
  });

  it('applies conditions to stored transfers by id, their owners read from the catalog (getResources)', async () => {
    const condition = (rule: string, claims: string[]) => ({
      rule,
      resourceType: 'namespace-transfer',
      params: { claims },
    });
    const res = await request(server)
      .post(`${wellKnown}/apply-conditions`)
      .set('Authorization', mockCredentials.service.header())
      .send({
        items: [
          {
            id: 'requester',
            resourceRef: stored.id,
            resourceType: 'namespace-transfer',
            conditions: condition('IS_REQUESTER', ['user:default/rita']),
          },
          {
            id: 'not-requester',
            resourceRef: stored.id,
            resourceType: 'namespace-transfer',
            conditions: condition('IS_REQUESTER', ['user:default/sam']),
          },
          {
            id: 'source-owner',
            resourceRef: stored.id,
            resourceType: 'namespace-transfer',
            conditions: condition('IS_SOURCE_OWNER', [
              'user:default/sam',
              'group:default/team-shop',
            ]),
          },
          {
            id: 'destination-owner-asked-as-source',
            resourceRef: stored.id,
            resourceType: 'namespace-transfer',
            conditions: condition('IS_SOURCE_OWNER', ['group:default/team-eu']),
          },
          {
            id: 'destination-owner',
            resourceRef: stored.id,
            resourceType: 'namespace-transfer',
            conditions: {
              not: condition('IS_DESTINATION_OWNER', ['group:default/others']),
            },
          },
          {
            id: 'unknown-transfer',
            resourceRef: '00000000-0000-4000-8000-000000000000',
            resourceType: 'namespace-transfer',
            conditions: condition('IS_REQUESTER', ['user:default/rita']),
          },
        ],
      });
    expect(res.status).toBe(200);
    expect(
      Object.fromEntries(
        res.body.items.map((i: { id: string; result: string }) => [
          i.id,
          i.result,
        ]),
      ),
    ).toEqual({
      requester: AuthorizeResult.ALLOW,
      'not-requester': AuthorizeResult.DENY,
      'source-owner': AuthorizeResult.ALLOW,
      'destination-owner-asked-as-source': AuthorizeResult.DENY,
      'destination-owner': AuthorizeResult.ALLOW,
      'unknown-transfer': AuthorizeResult.DENY,
    });
  });

  it('a policy narrowing read to destination owners (authorizeConditional): the access rules apply it through the registered ruleset', async () => {
    policy = (name, claims) =>
      name === transferReadPermission.name
        ? createTransferConditionalDecision(
            transferReadPermission,
            transferConditions.isDestinationOwner({ claims }),
          )
        : { result: AuthorizeResult.ALLOW };
    const { access } = wired;
    const dora = await access.caller(mockCredentials.user('user:default/dora'));
    const sam = await access.caller(mockCredentials.user('user:default/sam'));
    expect(await access.may('read', stored, dora)).toMatchObject({
      allowed: true,
    });
    // sam owns the source, which grants reading, but the policy's condition takes it away
    expect(await access.may('read', stored, sam)).toMatchObject({
      allowed: false,
      status: 404,
    });
  });

  it('a policy denying cancel outright refuses even the requester, with the permission named', async () => {
    policy = name =>
      name === transferCancelPermission.name
        ? { result: AuthorizeResult.DENY }
        : { result: AuthorizeResult.ALLOW };
    const rita = await wired.access.caller(
      mockCredentials.user('user:default/rita'),
    );
    const decision = await wired.access.may('cancel', stored, rita);
    expect(decision).toMatchObject({ allowed: false, status: 403 });
    expect(!decision.allowed && decision.reason).toMatch(
      /namespace-transfer\.transfer\.cancel/,
    );
  });

  it('a conditional read narrows the list filter too: requester-only and source-owner-only policies', async () => {
    const { access } = wired;
    const rita = await access.caller(mockCredentials.user('user:default/rita'));
    const sam = await access.caller(mockCredentials.user('user:default/sam'));
    policy = (name, claims) =>
      name === transferReadPermission.name
        ? createTransferConditionalDecision(
            transferReadPermission,
            transferConditions.isRequester({ claims }),
          )
        : { result: AuthorizeResult.ALLOW };
    expect(await access.visibility(rita)).toEqual({
      userRef: 'user:default/rita',
      ownedEntityRefs: [],
    });
    // what sam requested, not what he owns
    expect(await access.visibility(sam)).toEqual({
      userRef: 'user:default/sam',
      ownedEntityRefs: [],
    });
    policy = (name, claims) =>
      name === transferReadPermission.name
        ? createTransferConditionalDecision(
            transferReadPermission,
            transferConditions.isSourceOwner({ claims }),
          )
        : { result: AuthorizeResult.ALLOW };
    expect(await access.visibility(sam)).toEqual({
      userRef: '',
      ownedEntityRefs: ['component:default/shop'],
    });
    // and the store's list under that filter shows sam the transfer from his source
    const page = await wired.store.list({
      filter: { visibleTo: (await access.visibility(sam))! },
    });
    expect(page.items.map(t => t.id)).toContain(stored.id);
  });

  it('a transfer whose source nobody owned at request time (no source entity stored) is read without asking the catalog for it', async () => {
    const orphan = await wired.store.createTransfer(
      newTransfer({
        source: {
          cluster: 'east',
          namespace: 'shop',
          claim: 'orphan',
          entityRef: '',
        },
        requester: 'user:default/rita',
      }),
    );
    const rita = await wired.access.caller(
      mockCredentials.user('user:default/rita'),
    );
    expect(await wired.access.may('read', orphan, rita)).toMatchObject({
      allowed: true,
    });
  });
});
