import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { ThemeBlueprint } from '@backstage/plugin-app-react';
import LightIcon from '@material-ui/icons/WbSunny';
import { LightThemeProvider } from './LightThemeProvider';

/**
 * Replaces the app's light theme (same extension id, theme:app/light) with the readable one; the dark
 * theme stays the app plugin's own.
 */
export const themeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    ThemeBlueprint.make({
      name: 'light',
      params: {
        theme: {
          id: 'light',
          title: 'Light Theme',
          variant: 'light',
          icon: <LightIcon />,
          Provider: LightThemeProvider,
        },
      },
    }),
  ],
});
