import request from 'supertest';
import authPlugin from '@backstage/plugin-auth-backend';
import {
  AuditorServiceCreateEventOptions,
  AuditorServiceEvent,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/config';
import { authModuleDemoSignIn } from './module';
import { DEMO_USER_HEADER } from './demoAuthenticator';

const user = (name: string, group: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: [group] },
  relations: [{ type: 'memberOf', targetRef: `group:default/${group}` }],
});

interface AuditRecord {
  eventId: string;
  status: 'initiated' | 'succeeded' | 'failed';
  meta?: JsonObject;
  demoUserHeader?: string;
  ip?: string;
  error?: string;
}

let audit: AuditRecord[];

function auditorRecordingEvents() {
  return mockServices.auditor.mock({
    async createEvent(
      options: AuditorServiceCreateEventOptions,
    ): Promise<AuditorServiceEvent> {
      const base = {
        eventId: options.eventId,
        demoUserHeader: options.request?.header(DEMO_USER_HEADER),
        ip: options.request?.ip,
      };
      audit.push({ ...base, status: 'initiated', meta: options.meta });
      return {
        async success(params) {
          audit.push({
            ...base,
            status: 'succeeded',
            meta: { ...options.meta, ...params?.meta },
          });
        },
        async fail(params) {
          audit.push({
            ...base,
            status: 'failed',
            meta: { ...options.meta, ...params.meta },
            error: params.error.message,
          });
        },
      };
    },
  });
}

async function start(environment: string | undefined) {
  audit = [];
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      authModuleDemoSignIn,
      auditorRecordingEvents().factory,
      catalogServiceMock.factory({
        entities: [
          user('alice', 'team-payments'),
          user('carol', 'platform-team'),
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: {
            ...(environment === undefined ? {} : { environment }),
            session: { secret: 'test' },
            providers: {
              demo: { users: ['user:default/alice', 'user:default/carol'] },
            },
          },
        },
      }),
    ],
  });
  return server;
}

const refresh = (server: any, who?: string) => {
  const req = request(server)
    .get('/api/auth/demo/refresh')
    .set('X-Requested-With', 'XMLHttpRequest');
  return who ? req.set(DEMO_USER_HEADER, who) : req;
};

describe('demo sign-in provider', () => {
  it('signs in as the picked catalog user with their group ownership', async () => {
    const server = await start('development');
    const res = await refresh(server, 'alice');
    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: expect.arrayContaining([
        'user:default/alice',
        'group:default/team-payments',
      ]),
    });
    expect(res.body.backstageIdentity.token).toMatch(/^ey/);
    expect(res.body.profile.displayName).toBe('alice');
  });

  it('audits who signed in as whom', async () => {
    const server = await start('development');
    expect((await refresh(server, 'carol')).status).toBe(200);
    expect(audit).toEqual([
      {
        eventId: 'demo-sign-in',
        status: 'initiated',
        demoUserHeader: 'carol',
        ip: expect.any(String),
        meta: { requestedUser: 'carol' },
      },
      {
        eventId: 'demo-sign-in',
        status: 'succeeded',
        demoUserHeader: 'carol',
        ip: expect.any(String),
        meta: { requestedUser: 'carol', userEntityRef: 'user:default/carol' },
      },
    ]);
  });

  it('refuses users outside the configured list and requests without a user, and audits the refusals', async () => {
    const server = await start('development');
    expect((await refresh(server, 'user:default/mallory')).status).toBe(403);
    expect((await refresh(server)).status).toBe(400);
    expect((await refresh(server, 'group:default/platform-team')).status).toBe(
      400,
    );
    expect(audit.filter(e => e.status === 'failed')).toEqual([
      expect.objectContaining({
        meta: { requestedUser: 'user:default/mallory' },
        error:
          'user:default/mallory is not one of the demo users (auth.providers.demo.users)',
      }),
      expect.objectContaining({
        meta: { requestedUser: null },
        error: expect.stringMatching(/^Missing x-namespace-transfer-demo-user/),
      }),
      expect.objectContaining({
        meta: { requestedUser: 'group:default/platform-team' },
        error: "'group:default/platform-team' is not a user",
      }),
    ]);
    expect(audit.some(e => e.status === 'succeeded')).toBe(false);
  });

  it('audits a picked user the catalog does not know as a failed sign-in', async () => {
    audit = [];
    const { server } = await startTestBackend({
      features: [
        authPlugin,
        authModuleDemoSignIn,
        auditorRecordingEvents().factory,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: {
              environment: 'development',
              session: { secret: 'test' },
              providers: { demo: {} },
            },
          },
        }),
      ],
    });
    expect((await refresh(server, 'alice')).status).toBe(404);
    expect(audit.map(e => [e.status, e.meta?.userEntityRef])).toEqual([
      ['initiated', undefined],
      ['failed', 'user:default/alice'],
    ]);
  });

  it.each([
    ['production', 'production'],
    ['not stated', undefined],
  ])('is refused when auth.environment is %s', async (_what, environment) => {
    const server = await start(environment);
    const res = await refresh(server, 'carol');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /auth.environment is 'development' \(stated in the configuration\)/,
    );
    expect(res.body.backstageIdentity).toBeUndefined();
    expect(audit.map(e => e.status)).toEqual(['initiated', 'failed']);
  });

  it('is refused when NODE_ENV is production', async () => {
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const server = await start('development');
      expect((await refresh(server, 'carol')).status).toBe(403);
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  });
});
