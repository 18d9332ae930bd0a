import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import namespaceTransferPlugin from '@namespace-transfer/plugin-namespace-transfer/alpha';
import { signInModule } from './signIn';

/**
 * The portal on the new frontend system: the catalog with the Volumes & transfers tab and the users' and
 * groups' pages (org), and our page.
 */
const app = createApp({
  features: [
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
