import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { developmentOnlyProvidersProblem } from './developmentOnlyProviders';

/**
 * Stops the backend from starting when the guest or demo sign-in is configured outside development
 * (see developmentOnlyProvidersProblem). A module of the auth plugin, so the auth plugin, and with it the
 * backend, fails to start before any provider is served.
 */
export const authModuleDevelopmentSignInGuard = createBackendModule({
  pluginId: 'auth',
  moduleId: 'development-sign-in-guard',
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.rootConfig },
      async init({ config }) {
        const problem = developmentOnlyProvidersProblem(
          config,
          process.env.NODE_ENV,
        );
        if (problem) throw new Error(problem);
      },
    });
  },
});
