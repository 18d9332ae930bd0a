import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { createDemoAuthenticator } from './demoAuthenticator';

/**
 * Registers the `demo` auth provider: sign in as a chosen catalog user. The resolver looks the user up in
 * the catalog, so the token carries the real group memberships (ownership claims) of alice, bob or carol.
 * It serves only when auth.providers.demo is configured, and the backend refuses to start with it outside
 * development (see ../developmentSignInGuard).
 */
export const authModuleDemoSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-sign-in-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        auditor: coreServices.auditor,
      },
      async init({ providers, config, auditor }) {
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: createDemoAuthenticator({
              authEnvironment: config.getOptionalString('auth.environment'),
              nodeEnv: process.env.NODE_ENV,
              auditor,
            }),
            signInResolver: async ({ result }, ctx) => {
              try {
                const identity = await ctx.signInWithCatalogUser({
                  entityRef: result.userEntityRef,
                });
                await result.audit.success({
                  meta: { userEntityRef: result.userEntityRef },
                });
                return identity;
              } catch (error) {
                await result.audit.fail({
                  error: error as Error,
                  meta: { userEntityRef: result.userEntityRef },
                });
                throw error;
              }
            },
          }),
        });
      },
    });
  },
});
