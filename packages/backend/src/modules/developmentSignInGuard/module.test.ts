import authPlugin from '@backstage/plugin-auth-backend';
import guestProviderModule from '@backstage/plugin-auth-backend-module-guest-provider';
import { ConfigReader, JsonObject } from '@backstage/config';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { authModuleDemoSignIn } from '../demoSignIn/module';
import { developmentOnlyProvidersProblem } from './developmentOnlyProviders';
import { authModuleDevelopmentSignInGuard } from './module';

const config = (auth: JsonObject) => new ConfigReader({ auth });
const guest = { guest: {} };
const demo = { demo: { users: ['user:default/alice'] } };

describe('developmentOnlyProvidersProblem', () => {
  it('allows the guest and demo sign-in in a backend that states development', () => {
    for (const nodeEnv of ['development', 'test', undefined]) {
      expect(
        developmentOnlyProvidersProblem(
          config({
            environment: 'development',
            providers: { ...guest, ...demo },
          }),
          nodeEnv,
        ),
      ).toBeUndefined();
    }
  });

  it('allows anything when neither is configured', () => {
    expect(
      developmentOnlyProvidersProblem(
        config({ environment: 'production', providers: { github: {} } }),
        'production',
      ),
    ).toBeUndefined();
  });

  it('names the guest provider configured under auth.environment production', () => {
    const problem = developmentOnlyProvidersProblem(
      config({ environment: 'production', providers: guest }),
      'development',
    );
    expect(problem).toContain(
      "Refusing to start: auth.providers.guest is configured, but auth.environment is 'production'.",
    );
    expect(problem).toContain('gives a token to anyone who asks');
    expect(problem).toContain(
      'remove auth.providers.guest from the configuration: start with app-config.production.yaml alone',
    );
    expect(problem).not.toContain('auth.providers.demo');
  });

  it('names both providers of the development config laid under the production one, with NODE_ENV=production', () => {
    const problem = developmentOnlyProvidersProblem(
      config({ environment: 'production', providers: { ...guest, ...demo } }),
      'production',
    );
    expect(problem).toContain(
      "auth.providers.guest and auth.providers.demo are configured, but auth.environment is 'production' and NODE_ENV is 'production'",
    );
    expect(problem).toContain('admins included');
  });

  it('refuses NODE_ENV=production even with auth.environment development', () => {
    expect(
      developmentOnlyProvidersProblem(
        config({ environment: 'development', providers: demo }),
        'production',
      ),
    ).toContain(
      "auth.providers.demo is configured, but NODE_ENV is 'production'",
    );
  });

  it('wants development stated, not defaulted, and refuses any other environment', () => {
    expect(
      developmentOnlyProvidersProblem(config({ providers: guest }), undefined),
    ).toContain(
      "auth.environment is not set (these providers need it to say 'development' explicitly)",
    );
    expect(
      developmentOnlyProvidersProblem(
        config({ environment: 'staging', providers: demo }),
        'development',
      ),
    ).toContain("auth.environment is 'staging'");
  });

  it('is not talked round by the guest provider’s own escape hatch', () => {
    expect(
      developmentOnlyProvidersProblem(
        config({
          environment: 'production',
          providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
        }),
        'production',
      ),
    ).toMatch(/^Refusing to start: auth.providers.guest/);
  });
});

describe('the guard module', () => {
  const start = (auth: JsonObject) =>
    startTestBackend({
      features: [
        authPlugin,
        authModuleDevelopmentSignInGuard,
        guestProviderModule,
        authModuleDemoSignIn,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: { session: { secret: 'test' }, ...auth },
          },
        }),
      ],
    });

  it('stops the backend from starting with the guest provider in production', async () => {
    await expect(
      start({ environment: 'production', providers: guest }),
    ).rejects.toThrow(
      /development-sign-in-guard.*Refusing to start: auth.providers.guest is configured/s,
    );
  });

  it('lets a development backend start with both', async () => {
    const { server } = await start({
      environment: 'development',
      providers: { ...guest, ...demo },
    });
    expect(server).toBeDefined();
  });
});
