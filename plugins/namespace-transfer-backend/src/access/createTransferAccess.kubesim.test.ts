/*
 * createTransferAccess against a real API server (kube-sim, two clusters, the backend's ServiceAccount
 * limited by deploy/'s ClusterRole) and the catalog service mock: ownership read from the catalog with
 * the plugin's own credentials and from the clusters, now, at every question.
 */
import path from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { seedDemoCluster, SimCluster, SimWorld, startClusters } from 'kube-sim';
import { ClusterRegistry } from '../clusters';
import {
  createTransferConditionalDecision,
  transferConditions,
  transferPermissionRules,
} from '../permissions';
import type { Transfer } from '../store';
import { newTransfer } from '../store/__testUtils__/transfers';
import { AccessConfig } from './config';
import { createTransferAccess } from './createTransferAccess';

jest.setTimeout(180_000);

const DEPLOY_DIR = path.resolve(__dirname, '../../../../deploy');
const NS = 'backstage.io/kubernetes-namespace';
const ID = 'backstage.io/kubernetes-id';
const SELECTOR = 'backstage.io/kubernetes-label-selector';
const OWNER_ANNOTATION = 'example.com/owner';

const component = (
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

const shop = component(
  'shop',
  { [NS]: 'shop', [ID]: 'shop' },
  'group:default/team-shop',
);
const catchAll = component(
  'everything',
  { [NS]: 'shop', [SELECTOR]: 'app!=none' },
  'user:default/bob',
);
const shopEu = component(
  'shop-eu',
  { [NS]: 'shop-eu', [ID]: 'shop' },
  'group:default/team-eu',
);
const shared = component(
  'shared',
  { [NS]: 'shared', [SELECTOR]: 'app=shared,tier in (data)' },
  'group:default/team-eu',
);
const noNamespace = component(
  'loose',
  { [ID]: 'loose' },
  'group:default/team-eu',
);
const thief = component(
  'bobs-shop',
  { [NS]: 'shop', [SELECTOR]: 'app=shop' },
  'user:default/bob',
);
const ENTITIES = [shop, catchAll, shopEu, shared, noNamespace];

/** The groups of each user, as the catalog's userInfo gives them. */
const GROUPS: Record<string, string[]> = {
  'user:default/sam': ['group:default/team-shop'],
  'user:default/dora': ['group:default/team-eu'],
  'user:default/rita': [],
  'user:default/mallory': ['group:default/others'],
  'user:default/ada': [],
  'user:default/gus': ['group:default/platform'],
  'user:default/bob': [],
  // a sign-in resolver may keep the case of a name; the catalog compares refs case-insensitively
  'user:default/Gus': ['group:default/Platform'],
};

let world: SimWorld;
let east: SimCluster;
let west: SimCluster;
let registry: ClusterRegistry;
/** what the catalog holds now: tests change it between questions */
let catalogNow = catalogServiceMock({ entities: ENTITIES });
/** every call to the catalog, by method name */
const catalogCalls: string[] = [];
const catalog = new Proxy({} as CatalogService, {
  get: (_t, name) => {
    const method = (catalogNow as unknown as Record<string | symbol, Function>)[
      name
    ];
    return (...args: unknown[]) => {
      catalogCalls.push(String(name));
      return method.apply(catalogNow, args);
    };
  },
});

/** The policy now, by permission name; ALLOW for all unless a test says otherwise. */
let policy: (
  permission: string,
  credentials: BackstageCredentials,
) => PolicyDecision = () => ({ result: AuthorizeResult.ALLOW });
const asked: string[] = [];
const permissions: PermissionsService = {
  authorize: async (requests, { credentials }) =>
    requests.map(r => {
      asked.push(r.permission.name);
      const d = policy(r.permission.name, credentials);
      return {
        result:
          d.result === AuthorizeResult.ALLOW
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      };
    }),
  authorizeConditional: async (requests, { credentials }) =>
    requests.map(r => {
      asked.push(r.permission.name);
      return policy(r.permission.name, credentials);
    }),
};
const permissionsRegistry = {
  getPermissionRuleset: () => ({
    getRuleByName: (name: string) =>
      Object.values(transferPermissionRules).find(r => r.name === name)!,
  }),
} as unknown as PermissionsRegistryService;
const userInfo: UserInfoService = {
  getUserInfo: async credentials => {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return { userEntityRef: ref, ownershipEntityRefs: [ref, ...GROUPS[ref]] };
  },
};

const accessWith = (over: Partial<AccessConfig> = {}) =>
  createTransferAccess({
    access: {
      admins: ['user:default/ada', 'group:default/platform'],
      allowSelfApproval: false,
      ...over,
    },
    auth: mockServices.auth(),
    userInfo,
    permissions,
    permissionsRegistry,
    catalog,
    registry,
    timeoutMs: 20_000,
  });

const transfer = (over: Partial<Transfer> = {}): Transfer => ({
  ...newTransfer({
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
  createdAt: new Date(),
  updatedAt: new Date(),
  ...over,
});

async function annotateNamespace(
  cluster: SimCluster,
  name: string,
  annotations: Record<string, string | null>,
) {
  const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  const ns = await core.readNamespace({ name });
  const merged = { ...ns.metadata!.annotations, ...annotations };
  for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
  ns.metadata!.annotations = merged as Record<string, string>;
  await core.replaceNamespace({ name, body: ns });
}

beforeAll(async () => {
  world = await startClusters([{ name: 'east' }, { name: 'west' }]);
  east = world.cluster('east');
  west = world.cluster('west');
  const tokens = {
    east: (await seedDemoCluster(east, { deployDir: DEPLOY_DIR })).backendToken,
    west: (await seedDemoCluster(west, { deployDir: DEPLOY_DIR })).backendToken,
  };
  registry = new ClusterRegistry(
    [east, west].map(c => ({
      name: c.name,
      url: c.server,
      authProvider: 'serviceAccount',
      serviceAccountToken: tokens[c.name as 'east' | 'west'],
      caData: c.caData,
      skipTLSVerify: false,
    })),
  );
  const make = async (
    cluster: SimCluster,
    namespace: string,
    claims: { name: string; labels: Record<string, string> }[] = [],
  ) => {
    const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    for (const claim of claims) {
      await core.createNamespacedPersistentVolumeClaim({
        namespace,
        body: {
          metadata: { name: claim.name, labels: claim.labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: 'standard',
            resources: { requests: { storage: '1Gi' } },
          },
        },
      });
    }
  };
  await make(east, 'shop', [
    { name: 'shop-data', labels: { [ID]: 'shop', app: 'shop' } },
  ]);
  await make(west, 'shop-eu');
  await make(east, 'shared');
  await make(west, 'shared');
});

afterAll(async () => {
  await world?.stop();
});

beforeEach(() => {
  catalogNow = catalogServiceMock({ entities: ENTITIES });
  policy = () => ({ result: AuthorizeResult.ALLOW });
  asked.length = 0;
  catalogCalls.length = 0;
});

const as = (access: ReturnType<typeof accessWith>, user: string) =>
  access.caller(mockCredentials.user(user));

describe('createTransferAccess on kube-sim', () => {
  it('resolves callers: users with their groups, admins by user and by group, services as nobody', async () => {
    const access = accessWith();
    expect(await as(access, 'user:default/sam')).toMatchObject({
      userRef: 'user:default/sam',
      ownershipRefs: ['user:default/sam', 'group:default/team-shop'],
      isAdmin: false,
    });
    expect((await as(access, 'user:default/ada')).isAdmin).toBe(true);
    expect((await as(access, 'user:default/gus')).isAdmin).toBe(true);
    // stored and filtered exactly, so every ref comes out lowercase
    expect(await as(access, 'user:default/Gus')).toMatchObject({
      userRef: 'user:default/gus',
      ownershipRefs: ['user:default/gus', 'group:default/platform'],
      isAdmin: true,
    });
    const service = await access.caller(mockCredentials.service());
    expect(service).toMatchObject({ ownershipRefs: [], isAdmin: false });
    expect(service.userRef).toBeUndefined();
  });

  it('reads a claim’s owner from its labels on the cluster; a negative-only selector owns nothing and does not collide', async () => {
    expect(
      await accessWith().claimOwnership({
        cluster: 'east',
        namespace: 'shop',
        claim: 'shop-data',
      }),
    ).toEqual({
      entityRef: 'component:default/shop',
      owners: ['group:default/team-shop'],
    });
  });

  it('a source owner may approve; the requester, a destination owner and a stranger may not; the decision records what allowed it', async () => {
    const access = accessWith();
    const t = transfer();
    expect(
      await access.may('approve', t, await as(access, 'user:default/sam')),
    ).toEqual({
      allowed: true,
      ownership: {
        via: 'owner',
        of: 'component:default/shop',
        matched: ['group:default/team-shop'],
      },
    });
    expect(
      await access.may('approve', t, await as(access, 'user:default/rita')),
    ).toMatchObject({ allowed: false, status: 403 });
    expect(
      await access.may('approve', t, await as(access, 'user:default/dora')),
    ).toMatchObject({ allowed: false, status: 403 });
    expect(
      await access.may('approve', t, await as(access, 'user:default/mallory')),
    ).toMatchObject({ allowed: false, status: 404 });
    expect(
      await access.may(
        'approve',
        t,
        await access.caller(mockCredentials.service()),
      ),
    ).toMatchObject({ allowed: false, status: 404 });
    expect(asked).toContain('namespace-transfer.transfer.approve');
  });

  it('ownership removed in the catalog after the request: approval refused', async () => {
    const access = accessWith();
    const sam = await as(access, 'user:default/sam');
    // sam also owns the destination, so he still takes part and hears why
    const t = transfer({
      destination: {
        ...transfer().destination,
        entityRef: 'component:default/shop-eu-by-sam',
      },
    });
    const samsDestination = component(
      'shop-eu-by-sam',
      { [NS]: 'shop-eu', [ID]: 'shop' },
      'group:default/team-shop',
    );
    catalogNow = catalogServiceMock({
      entities: [...ENTITIES, samsDestination],
    });
    expect((await access.may('approve', t, sam)).allowed).toBe(true);
    catalogNow = catalogServiceMock({
      entities: [
        component('shop', shop.metadata.annotations!, 'group:default/new-team'),
        samsDestination,
        ...ENTITIES.filter(e => e !== shop),
      ],
    });
    const decision = await access.may('approve', t, sam);
    expect(decision).toMatchObject({ allowed: false, status: 403 });
    expect(!decision.allowed && decision.reason).toMatch(
      /only an owner of component:default\/shop \(group:default\/new-team\)/,
    );
    // owning nothing of it any more, he may not even see it
    expect(await access.may('approve', transfer(), sam)).toMatchObject({
      allowed: false,
      status: 404,
    });
  });

  it('a second entity registered to claim the same volume: nobody but an admin may approve', async () => {
    catalogNow = catalogServiceMock({ entities: [...ENTITIES, thief] });
    const access = accessWith();
    const ownership = await access.claimOwnership({
      cluster: 'east',
      namespace: 'shop',
      claim: 'shop-data',
    });
    expect(ownership.owners).toEqual([]);
    expect(ownership.unowned).toMatch(
      /several catalog entities \(component:default\/bobs-shop, component:default\/shop\)/,
    );
    for (const user of ['user:default/sam', 'user:default/bob']) {
      const d = await access.may('approve', transfer(), await as(access, user));
      expect(d.allowed).toBe(false);
    }
    expect(
      await access.may(
        'approve',
        transfer(),
        await as(access, 'user:default/gus'),
      ),
    ).toMatchObject({ allowed: true, ownership: { via: 'admin' } });
  });

  it('with a namespace owner annotation configured, the namespace must name the entity', async () => {
    const access = accessWith({ namespaceOwnerAnnotation: OWNER_ANNOTATION });
    const claim = { cluster: 'east', namespace: 'shop', claim: 'shop-data' };
    expect(await access.claimOwnership(claim)).toMatchObject({
      owners: [],
      unowned: expect.stringMatching(
        /namespace shop's annotation 'example.com\/owner' does not name component:default\/shop/,
      ),
    });
    await annotateNamespace(east, 'shop', { [OWNER_ANNOTATION]: 'shop' });
    try {
      expect(await access.claimOwnership(claim)).toMatchObject({
        entityRef: 'component:default/shop',
      });
      // and the destination side: shop-eu's namespace on west does not name it
      const dora = await as(access, 'user:default/dora');
      await expect(
        access.destination(dora, 'component:default/shop-eu'),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringMatching(/does not name it/),
      });
      // an admin may request into any configured cluster and namespace, annotation or not
      expect(
        await access.destination(
          await as(access, 'user:default/ada'),
          'component:default/shop-eu',
        ),
      ).toMatchObject({ cluster: 'west', namespace: 'shop-eu' });
    } finally {
      await annotateNamespace(east, 'shop', { [OWNER_ANNOTATION]: null });
    }
  });

  it('a claim that is gone: nobody owns it to approve, but its source entity’s owners may still cancel', async () => {
    const access = accessWith();
    const gone = transfer({
      source: { ...transfer().source, claim: 'moved-away' },
    });
    const sam = await as(access, 'user:default/sam');
    const approve = await access.may('approve', gone, sam);
    expect(approve).toMatchObject({ allowed: false, status: 403 });
    expect(!approve.allowed && approve.reason).toMatch(
      /No claim shop\/moved-away on cluster 'east'/,
    );
    expect(await access.may('cancel', gone, sam)).toMatchObject({
      allowed: true,
      ownership: { via: 'owner', of: 'component:default/shop' },
    });
  });

  it('an allow-all policy makes no stranger a reader or approver; a conditional policy narrows readers', async () => {
    const access = accessWith();
    const mallory = await as(access, 'user:default/mallory');
    for (const act of ['read', 'approve', 'cancel'] as const) {
      expect((await access.may(act, transfer(), mallory)).allowed).toBe(false);
    }
    // the adopter's policy: a transfer is readable by its requester only
    policy = (permission, credentials) => {
      if (permission !== 'namespace-transfer.transfer.read')
        return { result: AuthorizeResult.ALLOW };
      const user = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return createTransferConditionalDecision(
        {
          name: permission,
          type: 'resource',
          resourceType: 'namespace-transfer',
          attributes: { action: 'read' },
        },
        transferConditions.isRequester({ claims: [user] }),
      );
    };
    expect(
      await access.may(
        'read',
        transfer(),
        await as(access, 'user:default/rita'),
      ),
    ).toMatchObject({ allowed: true, ownership: { via: 'requester' } });
    expect(
      await access.may(
        'read',
        transfer(),
        await as(access, 'user:default/dora'),
      ),
    ).toMatchObject({ allowed: false, status: 404 });
  });

  it('judges a page of 100 transfers with one catalog call and one policy question, answering as `may` does', async () => {
    const access = accessWith();
    const requesters = ['user:default/rita', 'user:default/sam'];
    const states = ['pending-approval', 'running', 'failed'] as const;
    const page = Array.from({ length: 100 }, (_, i) =>
      transfer({
        id: `tr-${i}`,
        requester: requesters[i % 2],
        state: states[i % 3],
        // every fifth moves between two other entities, one of them gone from the catalog
        ...(i % 5 === 0 && {
          destination: {
            ...transfer().destination,
            entityRef: 'component:default/gone',
          },
        }),
      }),
    );
    for (const user of [
      'user:default/sam',
      'user:default/dora',
      'user:default/ada',
    ]) {
      const caller = await as(access, user);
      catalogCalls.length = 0;
      asked.length = 0;
      const judge = await access.judge(caller, page);
      const answers = page.map(t =>
        (['read', 'approve', 'reject', 'cancel'] as const).map(act =>
          judge(act, t),
        ),
      );
      expect([user, catalogCalls]).toEqual([user, ['getEntitiesByRefs']]);
      // read, approve and cancel asked at once, and audit for the admin
      expect(asked.length).toBeLessThanOrEqual(4);
      // the claim shop-data belongs to component:default/shop now, as stored: the same answers as `may`
      for (const i of [0, 1, 2, 5, 7]) {
        const t = page[i];
        for (const [j, act] of (
          ['read', 'approve', 'reject', 'cancel'] as const
        ).entries())
          expect([user, t.id, act, answers[i][j]]).toEqual([
            user,
            t.id,
            act,
            await access.may(act, t, caller),
          ]);
      }
    }
  });

  it('a judge applies a conditional policy to each transfer', async () => {
    const access = accessWith();
    policy = (permission, credentials) => {
      if (permission !== 'namespace-transfer.transfer.read')
        return { result: AuthorizeResult.ALLOW };
      const user = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return createTransferConditionalDecision(
        {
          name: permission,
          type: 'resource',
          resourceType: 'namespace-transfer',
          attributes: { action: 'read' },
        },
        transferConditions.isRequester({ claims: [user] }),
      );
    };
    const sam = await as(access, 'user:default/sam');
    const mine = transfer({ id: 'tr-mine', requester: 'user:default/sam' });
    const theirs = transfer({ id: 'tr-theirs' });
    const judge = await access.judge(sam, [mine, theirs]);
    expect(judge('read', mine)).toMatchObject({ allowed: true });
    expect(judge('cancel', mine)).toMatchObject({ allowed: true });
    expect(judge('approve', theirs)).toMatchObject({
      allowed: false,
      status: 404,
    });
    const service = await access.caller(mockCredentials.service());
    expect((await access.judge(service, [mine]))('read', mine)).toMatchObject({
      allowed: false,
      status: 404,
    });
  });

  it('names the destination of an entity the caller owns: its namespace, the one cluster it is on, its labels', async () => {
    const access = accessWith();
    const dora = await as(access, 'user:default/dora');
    expect(await access.destination(dora, 'component:default/shop-eu')).toEqual(
      {
        entityRef: 'component:default/shop-eu',
        cluster: 'west',
        namespace: 'shop-eu',
        labels: { [ID]: 'shop' },
      },
    );
    await expect(
      access.destination(dora, 'component:default/shared'),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /name the destination cluster: one of east, west/,
      ),
    });
    expect(
      await access.destination(dora, 'component:default/shared', {
        cluster: 'east',
      }),
    ).toMatchObject({
      cluster: 'east',
      namespace: 'shared',
      labels: { app: 'shared', tier: 'data' },
    });
  });

  it('refuses destinations with what to fix', async () => {
    const access = accessWith();
    const dora = await as(access, 'user:default/dora');
    const mallory = await as(access, 'user:default/mallory');
    await expect(
      access.destination(mallory, 'component:default/shop-eu'),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /You do not own component:default\/shop-eu \(its owners: group:default\/team-eu\)/,
      ),
    });
    await expect(
      access.destination(dora, 'component:default/loose'),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      access.destination(dora, 'component:default/nothing'),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(access.destination(dora, 'component:')).rejects.toMatchObject({
      name: 'InputError',
    });
    await expect(
      access.destination(dora, 'component:default/shop-eu', {
        cluster: 'west',
        namespace: 'elsewhere',
      }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(
      access.destination(dora, 'component:default/shop-eu', {
        cluster: 'mars',
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/Unknown cluster 'mars'/),
    });
    policy = p =>
      p === 'namespace-transfer.transfer.create'
        ? { result: AuthorizeResult.DENY }
        : { result: AuthorizeResult.ALLOW };
    await expect(
      access.destination(dora, 'component:default/shop-eu'),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(/transfer\.create/),
    });
  });

  it('an admin may name another cluster and namespace', async () => {
    const access = accessWith();
    const ada = await as(access, 'user:default/ada');
    expect(
      await access.destination(ada, 'component:default/shop-eu', {
        cluster: 'east',
        namespace: 'shared',
      }),
    ).toMatchObject({ cluster: 'east', namespace: 'shared' });
  });

  it('lists the destinations a user may request into; everything receivable for admins', async () => {
    const access = accessWith();
    const mine = await access.destinations(
      await as(access, 'user:default/dora'),
    );
    expect(mine.map(d => `${d.entityRef}@${d.cluster}/${d.namespace}`)).toEqual(
      [
        'component:default/shared@east/shared',
        'component:default/shared@west/shared',
        'component:default/shop-eu@west/shop-eu',
      ],
    );
    expect(
      await access.destinations(await as(access, 'user:default/mallory')),
    ).toEqual([]);
    const all = await access.destinations(await as(access, 'user:default/ada'));
    expect(all.map(d => `${d.entityRef}@${d.cluster}`)).toEqual([
      'component:default/shared@east',
      'component:default/shared@west',
      'component:default/shop@east',
      'component:default/shop-eu@west',
    ]);
  });

  it('visibility: what the caller takes part in; everything for an admin holding audit; nothing for services or when read is denied', async () => {
    const access = accessWith();
    expect(
      await access.visibility(await as(access, 'user:default/sam')),
    ).toEqual({
      userRef: 'user:default/sam',
      ownedEntityRefs: ['component:default/shop'],
    });
    expect(
      await access.visibility(await as(access, 'user:default/gus')),
    ).toBeUndefined();
    expect(
      await access.visibility(await access.caller(mockCredentials.service())),
    ).toEqual({ userRef: '', ownedEntityRefs: [] });
    policy = p =>
      p === 'namespace-transfer.transfer.audit'
        ? { result: AuthorizeResult.DENY }
        : { result: AuthorizeResult.ALLOW };
    expect(
      await access.visibility(await as(access, 'user:default/gus')),
    ).toEqual({
      userRef: 'user:default/gus',
      ownedEntityRefs: [],
    });
    policy = () => ({ result: AuthorizeResult.DENY });
    expect(
      await access.visibility(await as(access, 'user:default/sam')),
    ).toEqual({
      userRef: '',
      ownedEntityRefs: [],
    });
  });
});
