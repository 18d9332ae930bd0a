import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { NavContentBlueprint } from '@backstage/plugin-app-react';
import { AppNavContent } from './AppNavContent';

/** Replaces the content of the app's nav; only the app plugin accepts a nav-content extension. */
export const navModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    NavContentBlueprint.make({ params: { component: AppNavContent } }),
  ],
});
