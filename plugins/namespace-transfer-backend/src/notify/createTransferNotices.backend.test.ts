import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import { notificationService } from '@backstage/plugin-notifications-node';
import signalsBackend from '@backstage/plugin-signals-backend';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import WebSocket from 'ws';
import { TRANSFER_SIGNAL_CHANNEL } from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  ALICE,
  BOB,
  CAROL,
  PAYMENTS_TEAM,
  storedTransfer,
} from './__testUtils__/transfer';
import { createTransferNotices } from './createTransferNotices';
import type { TransferNotices } from './types';

/**
 * The notices through Backstage's real notifications and signals backends: what an owner finds in their
 * notifications after a request, and what someone else does not; which live updates reach whom.
 */

/** mockServices.auth's plain user token: the only user a WebSocket subprotocol header can carry */
const MEMBER = 'user:default/mock';
const GUEST = 'user:default/guest';

/** Ownership as the sign-in resolver would give it: the mock user is a member of the payments team. */
const userInfoWithGroups = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const ref: string = credentials.principal.userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: ref === MEMBER ? [ref, PAYMENTS_TEAM] : [ref],
      };
    },
  }),
});

/**
 * One events bus for the whole backend, as the real events service's in-process bus is: the test backend's
 * default mock gives each plugin its own, so the signals backend would never hear what another plugin
 * publishes.
 */
const sharedEvents = mockServices.events();
const oneEventsBus = createServiceFactory({
  service: mockServices.events.factory().service,
  deps: {},
  factory: () => sharedEvents,
});

/** A portal tab listening for transfer updates on the signals channel. */
class Listener {
  readonly messages: unknown[] = [];
  private waiters: Array<() => void> = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', data => {
      this.messages.push(JSON.parse(String(data)));
      this.waiters.splice(0).forEach(w => w());
    });
  }

  /**
   * Connects as the portal's signals client does, trying again on a connection that does not open: the
   * signals router starts handling WebSocket upgrades only once a first one went through it (that first
   * request is left hanging), so the first attempt after start-up never opens.
   */
  static async connect(url: string, token?: string): Promise<Listener> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await Listener.open(url, token);
      } catch (error) {
        if (attempt >= 10) throw error;
      }
    }
  }

  /** connected and subscribed: the pong comes after the server handled the subscribe sent before it */
  private static async open(url: string, token?: string): Promise<Listener> {
    const ws = token ? new WebSocket(url, token) : new WebSocket(url);
    try {
      await new Promise<void>((resolve, reject) => {
        setTimeout(() => reject(new Error('no WebSocket connection')), 500);
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
    } catch (error) {
      ws.terminate();
      throw error;
    }
    // the channel name as the portal's subscriber takes it from common; the expectations below pin its value
    ws.send(
      JSON.stringify({ action: 'subscribe', channel: TRANSFER_SIGNAL_CHANNEL }),
    );
    await new Promise<void>(resolve => {
      ws.once('pong', () => resolve());
      ws.ping();
    });
    return new Listener(ws);
  }

  async next(count: number): Promise<unknown[]> {
    while (this.messages.length < count)
      await new Promise<void>(resolve => this.waiters.push(resolve));
    return this.messages;
  }

  close() {
    this.ws.terminate();
  }
}

const DAVE = 'user:default/dave';

const user = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: {},
});
const ENTITIES = [
  user('alice'),
  user('bob'),
  user('carol'),
  user('dave'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [
      { type: 'hasMember', targetRef: BOB },
      { type: 'hasMember', targetRef: DAVE },
    ],
  },
];

describe('createTransferNotices on the real notifications and signals backends', () => {
  let notices: TransferNotices;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  // stands in for the namespace-transfer plugin: it only builds the notices from the services it is given
  const noticesPlugin = createBackendPlugin({
    pluginId: 'namespace-transfer',
    register(env) {
      env.registerInit({
        deps: {
          notifications: notificationService,
          signals: signalsServiceRef,
          logger: coreServices.logger,
        },
        async init({ notifications, signals, logger }) {
          notices = createTransferNotices({
            notifications,
            signals,
            logger,
            ownersOf: async () => [PAYMENTS_TEAM],
            readersOf: async t =>
              t.id === 'tr-guest' ? [GUEST] : [t.requester, PAYMENTS_TEAM],
          });
        },
      });
    },
  });

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        noticesPlugin,
        notificationsBackend,
        signalsBackend,
        catalogServiceMock.factory({ entities: ENTITIES }),
        userInfoWithGroups,
        oneEventsBus,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://localhost:3000' } },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  async function notificationsOf(ref: string) {
    const res = await request(server)
      .get('/api/notifications/notifications')
      .set('Authorization', mockCredentials.user.header(ref));
    expect(res.status).toBe(200);
    return res.body.notifications as Array<{
      user: string;
      origin: string;
      payload: Record<string, unknown>;
    }>;
  }

  it('stores the approval request for the source owners (a group expanded to its members), for nobody else, once however often it is re-sent', async () => {
    const transfer = storedTransfer({ id: 'tr-real-1' });
    const request_ = {
      from: 'pending-approval',
      action: 'request',
      actor: ALICE,
    } as const;
    await notices.stateChanged(transfer, request_);
    // a replayed change (a retried write, a restarted worker) replaces instead of adding a second one
    await notices.stateChanged(transfer, request_);

    const bobs = await notificationsOf(BOB);
    expect(bobs).toHaveLength(1);
    expect(bobs[0]).toMatchObject({
      user: BOB,
      origin: 'plugin:namespace-transfer',
      payload: {
        title: 'Approve moving payments/db-data to east/payments?',
        link: '/namespace-transfer/transfers/tr-real-1',
        severity: 'normal',
        topic: 'namespace-transfer-approval',
        scope: 'namespace-transfer:tr-real-1:approval',
      },
    });
    // the requester asked and is not a member; carol has nothing to do with it
    expect(await notificationsOf(ALICE)).toEqual([]);
    expect(await notificationsOf(CAROL)).toEqual([]);
  });

  it("stores one ask per batch for its owners, however many of the batch's volumes they decide on", async () => {
    await Promise.all(
      ['db-data', 'db-logs'].map(claim =>
        notices.stateChanged(
          storedTransfer({
            id: `tr-batch-${claim}`,
            batchId: 'b-real',
            source: { ...storedTransfer().source, claim },
            destination: { ...storedTransfer().destination, claim },
          }),
          { from: 'pending-approval', action: 'request', actor: ALICE },
        ),
      ),
    );
    const asks = (await notificationsOf(BOB)).filter(
      n => n.payload.scope === 'namespace-transfer:batch:b-real:approval',
    );
    expect(asks).toHaveLength(1);
    expect(asks[0].payload.title).toBe(
      'Approve moving 2 volumes of payments to east/payments?',
    );
  });

  it('leaves the team member who acted out of the ask that goes to the rest of the team', async () => {
    // bob retries a request that was cancelled before it ran: his team is asked again, without him
    await notices.stateChanged(
      storedTransfer({
        id: 'tr-real-retry',
        state: 'pending-approval',
        attempt: 2,
      }),
      { from: 'cancelled', action: 'retry', actor: BOB },
    );
    const scope = 'namespace-transfer:tr-real-retry:approval';
    const ofScope = async (ref: string) =>
      (await notificationsOf(ref)).filter(n => n.payload.scope === scope);
    expect(await ofScope(DAVE)).toMatchObject([
      {
        payload: {
          title: 'Approve moving payments/db-data to east/payments again?',
        },
      },
    ]);
    expect(await ofScope(BOB)).toEqual([]);
  });

  it('stores a failure for the requester, high', async () => {
    await notices.stateChanged(
      storedTransfer({
        id: 'tr-real-2',
        state: 'failed',
        error: 'sync failed: connection refused',
      }),
      { from: 'running', action: 'fail' },
    );
    const alices = (await notificationsOf(ALICE)).filter(
      n => n.payload.link === '/namespace-transfer/transfers/tr-real-2',
    );
    expect(alices).toHaveLength(1);
    expect(alices[0].payload).toMatchObject({
      title: 'Failed: moving payments/db-data to east/payments',
      severity: 'high',
      link: '/namespace-transfer/transfers/tr-real-2',
    });
    expect(await notificationsOf(CAROL)).toEqual([]);
  });

  it('signals reach the readers of a transfer (through their groups) with only its id and what changed, and nobody else', async () => {
    const url = `ws://localhost:${(server.address() as AddressInfo).port}/api/signals`;
    const member = await Listener.connect(url, 'mock-user-token');
    const guest = await Listener.connect(url);
    try {
      const transfer = storedTransfer({
        id: 'tr-live',
        state: 'running',
        phase: 'Syncing',
        progress: { bytesDone: 10, bytesTotal: 40 },
      });
      await notices.stateChanged(transfer, {
        from: 'approved',
        action: 'start',
      });
      await notices.progressed(transfer, 'phase');
      await notices.progressed(transfer, 'progress');
      expect(await member.next(3)).toEqual([
        {
          channel: 'namespace-transfer',
          message: { id: 'tr-live', state: 'running' },
        },
        {
          channel: 'namespace-transfer',
          message: { id: 'tr-live', phase: 'Syncing' },
        },
        {
          channel: 'namespace-transfer',
          message: {
            id: 'tr-live',
            progress: { bytesDone: 10, bytesTotal: 40 },
          },
        },
      ]);

      // a transfer the guest may read: its signal arrives after any earlier one would have
      await notices.progressed(
        storedTransfer({ id: 'tr-guest', phase: 'Verifying' }),
        'phase',
      );
      expect(await guest.next(1)).toEqual([
        {
          channel: 'namespace-transfer',
          message: { id: 'tr-guest', phase: 'Verifying' },
        },
      ]);
      // and the member, who may not read it, had nothing more
      expect(member.messages).toHaveLength(3);
    } finally {
      member.close();
      guest.close();
    }
  });
});
