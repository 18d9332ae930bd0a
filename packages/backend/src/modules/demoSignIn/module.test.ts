import request from 'supertest';
import authPlugin from '@backstage/plugin-auth-backend';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { authModuleDemoSignIn } from './module';
import { DEMO_USER_HEADER } from './demoAuthenticator';

const user = (name: string, group: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: [group] },
  relations: [{ type: 'memberOf', targetRef: `group:default/${group}` }],
});

async function start(environment: string) {
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      authModuleDemoSignIn,
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
            environment,
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

  it('refuses users outside the configured list and requests without a user', async () => {
    const server = await start('development');
    expect((await refresh(server, 'user:default/mallory')).status).toBe(403);
    expect((await refresh(server)).status).toBe(400);
    expect((await refresh(server, 'group:default/platform-team')).status).toBe(
      400,
    );
  });

  it('is refused outside development', async () => {
    const server = await start('production');
    const res = await refresh(server, 'alice');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/auth.environment 'development'/);
  });
});
