/*
 * The portal's backend (new backend system): it serves the built app, signs people in, runs the catalog
 * with the demo entities, checks permissions, sends notifications and signals, and hosts Namespace Transfer.
 *
 * Sign-in providers serve only when configured under auth.providers. The guest and demo providers are for
 * development (app-config.yaml); the guard refuses to start the backend with either of them when
 * auth.environment or NODE_ENV says otherwise. Production (app-config.production.yaml) signs in with GitHub.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('./modules/developmentSignInGuard'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('./modules/demoSignIn'));

backend.add(import('@backstage/plugin-catalog-backend'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@namespace-transfer/plugin-namespace-transfer-backend'));

// A plugin that fails to start (the sign-in guard among them) fails the start; the backend logs that as an
// unhandled rejection and would keep running without the plugin, so end the process instead.
backend.start().catch(error => {
  process.stderr.write(
    `The backend did not start: ${error instanceof Error ? error.message : error}\n`,
  );
  process.exit(1);
});
