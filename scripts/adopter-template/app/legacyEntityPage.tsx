// The same plugin in an app still on the legacy frontend system: the entity tab and the page as routes.
import { Route } from 'react-router-dom';
import { EntityLayout } from '@backstage/plugin-catalog';
import {
  EntityNamespaceTransferContent,
  NamespaceTransferPage,
  isNamespaceTransferAvailable,
} from '@namespace-transfer/plugin-namespace-transfer';

export const serviceEntityPage = (
  <EntityLayout>
    <EntityLayout.Route
      path="/namespace-transfer"
      title="Volumes & transfers"
      if={isNamespaceTransferAvailable}
    >
      <EntityNamespaceTransferContent />
    </EntityLayout.Route>
  </EntityLayout>
);

export const namespaceTransferRoute = (
  <Route path="/namespace-transfer" element={<NamespaceTransferPage />} />
);
