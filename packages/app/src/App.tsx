import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import namespaceTransferPlugin from '@namespace-transfer/plugin-namespace-transfer/alpha';
import { homePlugin } from './home';
import { signInModule } from './signIn';

/**
 * The portal on the new frontend system: the home page, the catalog with the Volumes & transfers tab and
 * the users' and groups' pages (org), and the namespace-transfer page.
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
  ],
});

export default app.createRoot();
