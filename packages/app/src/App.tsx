import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import namespaceTransferPlugin from '@namespace-transfer/plugin-namespace-transfer/alpha';
import { homePlugin } from './home';
import { navModule } from './nav';
import { signInModule } from './signIn';
import { themeModule } from './theme';

/**
 * The portal on the new frontend system: the home page, the catalog with the Volumes & transfers tab and
 * the users' and groups' pages (org), and the namespace-transfer page; the app's light theme and nav are
 * its own (readable secondary text, a named menu on a narrow window).
 */
const app = createApp({
  features: [
    homePlugin,
    catalogPlugin,
    orgPlugin,
    namespaceTransferPlugin,
    notificationsPlugin,
    signalsPlugin,
    userSettingsPlugin,
    signInModule,
    themeModule,
    navModule,
  ],
});

export default app.createRoot();
