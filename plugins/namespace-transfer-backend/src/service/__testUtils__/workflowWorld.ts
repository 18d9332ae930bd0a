/*
 * The whole workflow through the plugin's HTTP API with its real worker: the plugin world of pluginWorld
 * (two kube-sim clusters, catalog, users) with claims that hold real files, a second team that owns half of
 * a namespace, the plugin's database held by the test, Backstage's real scheduler (so the janitor runs on
 * its own) and the notifications the plugin sends, recorded.
 */
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import type { Knex } from 'knex';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { SimWorld } from 'kube-sim';
import { eventually } from '../../worker/__testUtils__/fakeEngine';
import { ensureNamespace, volumeDir } from '../../worker/__testUtils__/kubesim';
import {
  component,
  ENTITIES,
  GROUPS,
  ID,
  headersOf,
  type Role,
  type Server,
  startPlugin,
  startWorld,
  userInfoOf,
} from './pluginWorld';

export const API = '/api/namespace-transfer';
/** the owner of the whole payments namespace is bob (team-payments); erin's team owns the ledger of shop */
export const ERIN = 'user:default/erin';
export const LEDGER_TEAM = 'group:default/team-ledger';
export const PAYMENTS_TEAM = 'group:default/team-payments';
/** the uid the claims' files and their applications run as */
export const UID = 1001;

const ENTITY = {
  payments: 'payments-db',
  orders: 'shop-orders',
  ledger: 'shop-ledger',
};

/** Namespace shop on east holds two claims of two components owned by two teams: a batch spans both. */
export const WORKFLOW_ENTITIES = [
  ...ENTITIES,
  component(ENTITY.orders, 'shop', PAYMENTS_TEAM),
  component(ENTITY.ledger, 'shop', LEDGER_TEAM),
];

/** Who calls the API: the roles of pluginWorld, and erin of the ledger team. */
export type Caller = Role | 'ledgerOwner';
const callerHeaders = (who: Caller) =>
  who === 'ledgerOwner'
    ? { Authorization: mockCredentials.user.header(ERIN) }
    : headersOf(who);

/**
 * The plugin world, and on east: the namespace shop for the batch, and in it the claims orders and ledger
 * (of shop-orders and shop-ledger), each holding a few files.
 */
export async function startWorkflowWorld(): Promise<SimWorld> {
  const world = await startWorld();
  const east = world.cluster('east').kubeConfig();
  await ensureNamespace(east, 'shop');
  await Promise.all([
    labelledClaim(east, 'shop', 'orders', ENTITY.orders, 4),
    labelledClaim(east, 'shop', 'ledger', ENTITY.ledger, 4),
  ]);
  return world;
}

/** A bound claim in namespace payments of east, labelled for payments-db, holding `files` files. */
export const paymentsClaim = (world: SimWorld, name: string, files = 6) =>
  labelledClaim(
    world.cluster('east').kubeConfig(),
    'payments',
    name,
    ENTITY.payments,
    files,
  );

/**
 * A bound claim labelled as the entity's (so that the entity owns it), holding small random files owned by
 * UID in a nested tree; its host directory.
 */
export async function labelledClaim(
  kc: KubeConfig,
  namespace: string,
  name: string,
  entityId: string,
  files: number,
): Promise<string> {
  await kc.makeApiClient(CoreV1Api).createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name, labels: { [ID]: entityId } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'standard',
        resources: { requests: { storage: '1Gi' } },
      },
    },
  });
  const root = await volumeDir(kc, namespace, name);
  mkdirSync(join(root, 'nested'), { recursive: true });
  for (let i = 0; i < files; i++)
    writeFileSync(
      join(root, i % 2 ? 'nested' : '', `f${i}.bin`),
      randomBytes(256 + i * 131),
    );
  for (const p of [root, join(root, 'nested')]) chownSync(p, UID, UID);
  for (let i = 0; i < files; i++)
    chownSync(join(root, i % 2 ? 'nested' : '', `f${i}.bin`), UID, UID);
  return root;
}

/** A file written on a claim as its application would, owned by UID. */
export function writeAsApp(root: string, name: string, text: string) {
  writeFileSync(join(root, name), text);
  chownSync(join(root, name), UID, UID);
}

/**
 * A Deployment of one pod that mounts the claim and ignores SIGTERM with a long grace period, as an
 * application slow to stop does: the transfer's quiesce waits for it, so the transfer stays observably
 * running in `Quiescing` until the test acts.
 */
export async function slowToStopApp(
  kc: KubeConfig,
  namespace: string,
  name: string,
  claimName: string,
) {
  await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            terminationGracePeriodSeconds: 600,
            securityContext: { runAsUser: UID, runAsGroup: UID, fsGroup: UID },
            containers: [
              {
                name: 'app',
                image: 'busybox',
                command: [
                  'sh',
                  '-c',
                  'trap "" TERM; while true; do sleep 1; done',
                ],
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              },
            ],
            volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
          },
        },
      },
    },
  });
}

/** The pods of a Deployment's app label that still exist, terminating ones included. */
export async function podsOf(kc: KubeConfig, namespace: string, app: string) {
  const pods = await kc
    .makeApiClient(CoreV1Api)
    .listNamespacedPod({ namespace, labelSelector: `app=${app}` });
  return pods.items;
}

/** Ends the app's pods now (grace 0): a pod left terminating would run its process until the world stops. */
export async function forceStop(
  kc: KubeConfig,
  namespace: string,
  app: string,
) {
  const core = kc.makeApiClient(CoreV1Api);
  for (const p of await podsOf(kc, namespace, app))
    await core
      .deleteNamespacedPod({
        namespace,
        name: p.metadata!.name!,
        gracePeriodSeconds: 0,
      })
      .catch(() => undefined);
}

/** Every notification the plugin sends, recorded instead of sent to a notifications backend. */
export function recordedNotifications() {
  const sent: NotificationSendOptions[] = [];
  const factory = createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      async send(options: NotificationSendOptions) {
        sent.push(options);
      },
    }),
  });
  return { sent, factory };
}

/** The recipients and titles of the notifications of one transfer (their scope names it). */
export function noticesOf(sent: NotificationSendOptions[], transferId: string) {
  return sent
    .filter(n => n.payload.scope?.includes(transferId))
    .map(n => ({
      to:
        n.recipients.type === 'entity'
          ? [n.recipients.entityRef].flat().sort()
          : [],
      title: n.payload.title,
    }));
}

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

export interface WorkflowPlugin {
  server: Server;
  /** the plugin's own database, as the test backend gives it to the plugin */
  db: Knex;
  sent: NotificationSendOptions[];
  stop(): Promise<void>;
}

/**
 * The plugin on a test backend with its worker and janitor: the world's clusters, the catalog with both
 * teams, an allow-all policy (the plugin's ownership decides), a database the test holds, Backstage's real
 * scheduler, recorded notifications; `namespaceTransfer` keys over pluginWorld's.
 */
export async function startWorkflowPlugin(
  world: SimWorld,
  namespaceTransfer: Record<string, unknown>,
): Promise<WorkflowPlugin> {
  const db = await databases.init('SQLITE_3');
  const notifications = recordedNotifications();
  const backend = await startPlugin(
    world,
    mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    catalogServiceMock.factory({ entities: WORKFLOW_ENTITIES }),
    {
      namespaceTransfer,
      userInfo: userInfoOf({ ...GROUPS, [ERIN]: [LEDGER_TEAM] }),
      services: [
        mockServices.database.factory({ knex: db }),
        schedulerServiceFactory,
        notifications.factory,
      ],
    },
  );
  return {
    server: backend.server,
    db,
    sent: notifications.sent,
    stop: () => backend.stop(),
  };
}

/** The API as one caller: JSON in and out, the status kept for the test to check. */
export function apiOf(server: Server) {
  return {
    get: (who: Caller, path: string) =>
      request(server).get(`${API}${path}`).set(callerHeaders(who)),
    post: (who: Caller, path: string, body: object = {}) =>
      request(server).post(`${API}${path}`).set(callerHeaders(who)).send(body),
  };
}
export type Api = ReturnType<typeof apiOf>;

/** The transfer as GET /transfers/:id shows it to the requester. */
export async function transferOf(api: Api, id: string) {
  const res = await api.get('requester', `/transfers/${id}`);
  if (res.status !== 200)
    throw new Error(`GET /transfers/${id}: ${res.status} ${res.text}`);
  return res.body.transfer;
}

/** Polls the API until the transfer is in one of `states`; the transfer then. */
export function inState(api: Api, id: string, ...states: string[]) {
  return eventually(
    async () => {
      const t = await transferOf(api, id);
      return states.includes(t.state) && t;
    },
    `transfer ${id} to be ${states.join(' or ')}`,
    240_000,
  );
}

/** The transfer's events through GET /transfers/:id/events, oldest first. */
export async function eventsOf(api: Api, id: string) {
  const res = await api.get('requester', `/transfers/${id}/events?limit=1000`);
  if (res.status !== 200)
    throw new Error(`GET events of ${id}: ${res.status} ${res.text}`);
  return res.body.events as Array<{
    id: string;
    kind: string;
    payload: Record<string, any>;
  }>;
}

/** The state changes of the event log as `from>to:action` (a new request comes from nothing), in order. */
export const stateChanges = (events: Awaited<ReturnType<typeof eventsOf>>) =>
  events
    .filter(e => e.kind === 'state')
    .map(e => `${e.payload.from ?? ''}>${e.payload.to}:${e.payload.action}`);

/** The phases of the event log, in order. */
export const phasesOf = (events: Awaited<ReturnType<typeof eventsOf>>) =>
  events.filter(e => e.kind === 'phase').map(e => e.payload.phase as string);
