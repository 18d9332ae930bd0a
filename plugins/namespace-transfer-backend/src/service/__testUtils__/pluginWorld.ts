/*
 * A whole plugin on two kube-sim clusters for the plugin-level workflow tests: users and their groups, the
 * catalog's components, the policies, and a test backend with the plugin on those clusters.
 */
import type request from 'supertest';
import {
  coreServices,
  createServiceFactory,
  type BackstageCredentials,
  type PermissionsService,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import { CoreV1Api } from '@kubernetes/client-node';
import { startClusters, type SimCluster, type SimWorld } from 'kube-sim';
import { namespaceTransferPlugin } from '../../plugin';
import {
  ensureNamespace,
  ensureStorageClass,
  volumeDir,
} from '../../worker/__testUtils__/kubesim';

export const ID = 'backstage.io/kubernetes-id';
export const NS = 'backstage.io/kubernetes-namespace';

export const ROLES = {
  anonymous: undefined,
  nonOwner: 'user:default/carol',
  requester: 'user:default/alice',
  sourceOwner: 'user:default/bob',
  destinationOwner: 'user:default/dave',
  admin: 'user:default/ada',
} as const;
export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export const GROUPS: Record<string, string[]> = {
  [ROLES.nonOwner]: [],
  [ROLES.requester]: ['group:default/team-next'],
  [ROLES.sourceOwner]: ['group:default/team-payments'],
  [ROLES.destinationOwner]: ['group:default/team-next'],
  [ROLES.admin]: [],
};

export const component = (
  name: string,
  namespace: string,
  owner: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { [ID]: name, [NS]: namespace },
  },
  spec: { owner, type: 'service', lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

export const ENTITIES = [
  component('payments-db', 'payments', 'group:default/team-payments'),
  component('payments-next', 'payments-next', 'group:default/team-next'),
];

export const REQUEST = {
  source: { cluster: 'east', namespace: 'payments', claim: 'payments-data' },
  destination: { entityRef: 'component:default/payments-next' },
};

/** Users' ownership claims as a sign-in resolver gives them, from their groups. */
export const userInfoOf = (groups: Record<string, string[]>) =>
  createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: BackstageCredentials) {
        const ref = (credentials.principal as { userEntityRef: string })
          .userEntityRef;
        return {
          userEntityRef: ref,
          ownershipEntityRefs: [ref, ...(groups[ref] ?? [])],
        };
      },
    }),
  });

/** The users' ownership claims, as the sign-in resolver gives them. */
export const userInfo = userInfoOf(GROUPS);

/**
 * The demo's rule (packages/backend NamespaceTransferPolicy): the audit view for admins only. Approve and
 * cancel are allowed: the plugin's ownership check decides them.
 */
const ADMIN_POWERS = new Set(['namespace-transfer.transfer.audit']);
function demoDecision(
  permission: string,
  credentials: BackstageCredentials,
): PolicyDecision {
  const user = (credentials.principal as { userEntityRef?: string })
    .userEntityRef;
  return {
    result:
      ADMIN_POWERS.has(permission) && user !== ROLES.admin
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  };
}
export const demoPolicy = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: (): PermissionsService => ({
    authorize: async (requests, { credentials }) =>
      requests.map(r => ({
        result: demoDecision(r.permission.name, credentials).result as
          AuthorizeResult.ALLOW | AuthorizeResult.DENY,
      })),
    authorizeConditional: async (requests, { credentials }) =>
      requests.map(r => demoDecision(r.permission.name, credentials)),
  }),
});

/** The engine's identity on a cluster: the matrix is about portal users, not the engine's RBAC. */
function clusterEntry(c: SimCluster) {
  return {
    name: c.name,
    url: c.server,
    authProvider: 'serviceAccount',
    serviceAccountToken: c
      .userKubeConfig({ username: 'engine', groups: ['system:masters'] })
      .getCurrentUser()!.token!,
    caData: c.caData,
  };
}

/**
 * Two kube-sim clusters: east holds namespace payments with the bound claim payments-data (labelled for
 * component payments-db), west the empty namespace payments-next.
 */
export async function startWorld(): Promise<SimWorld> {
  const world = await startClusters([{ name: 'east' }, { name: 'west' }]);
  const east = world.cluster('east').kubeConfig();
  const west = world.cluster('west').kubeConfig();
  for (const kc of [east, west]) await ensureStorageClass(kc, 'standard');
  await ensureNamespace(east, 'payments');
  await ensureNamespace(west, 'payments-next');
  await east.makeApiClient(CoreV1Api).createNamespacedPersistentVolumeClaim({
    namespace: 'payments',
    body: {
      metadata: { name: 'payments-data', labels: { [ID]: 'payments-db' } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'standard',
        resources: { requests: { storage: '1Gi' } },
      },
    },
  });
  await volumeDir(east, 'payments', 'payments-data');
  return world;
}

export const headersOf = (role: Role) => ({
  Authorization:
    role === 'anonymous'
      ? mockCredentials.none.header()
      : mockCredentials.user.header(ROLES[role]),
});

export type Server = Parameters<typeof request>[0];

/** What a test may add to the plugin's backend (the matrix tests leave it out: nothing runs). */
export interface PluginOptions {
  /** keys over the test's namespaceTransfer config, e.g. an enabled `worker` or a short `approvals` */
  namespaceTransfer?: Record<string, unknown>;
  /** users' groups instead of GROUPS */
  userInfo?: ServiceFactory;
  /** further services: a database the test also holds, a real scheduler, recorded notifications */
  services?: ServiceFactory[];
}

/** The plugin alone on a test backend, on the world's clusters, with the given policy and catalog. */
export async function startPlugin(
  world: SimWorld,
  permissions: ServiceFactory,
  catalog: ServiceFactory = catalogServiceMock.factory({ entities: ENTITIES }),
  options: PluginOptions = {},
) {
  const backend = await startTestBackend({
    features: [
      namespaceTransferPlugin,
      catalog,
      options.userInfo ?? userInfo,
      permissions,
      ...(options.services ?? []),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.example.com' },
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  clusterEntry(world.cluster('east')),
                  clusterEntry(world.cluster('west')),
                ],
              },
            ],
          },
          namespaceTransfer: {
            admins: [ROLES.admin],
            clusterRequestTimeoutMs: 20_000,
            rateLimit: { burst: 1000, perMinute: 100_000 },
            // nothing runs: the matrix is about who may ask, not about moving data
            worker: { enabled: false },
            ...options.namespaceTransfer,
          },
        },
      }),
    ],
  });
  return backend;
}
