// The adopter's app on the new frontend system: the catalog, and Namespace Transfer's /alpha export,
// which adds the entity's "Volumes & transfers" tab and the namespace-transfer page.
import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import namespaceTransferPlugin from '@namespace-transfer/plugin-namespace-transfer/alpha';

const app = createApp({
  features: [catalogPlugin, namespaceTransferPlugin],
});

export default app.createRoot();
