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
 */
export const authModuleDemoSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-sign-in-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: createDemoAuthenticator({
              environment:
                config.getOptionalString('auth.environment') ?? 'development',
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.userEntityRef }),
          }),
        });
      },
    });
  },
});
