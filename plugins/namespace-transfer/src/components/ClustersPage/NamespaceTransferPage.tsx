import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { Route, Routes } from 'react-router-dom';
import { TransfersAuditContent } from '../AuditPage';
import { TransferPage } from '../TransferPage';
import { ClustersContent } from './ClustersContent';

/** The tabs of the platform team's page: every transfer (the index) and the clusters. */
function RootTabs() {
  return (
    <TabbedLayout>
      <TabbedLayout.Route path="/" title="Transfers">
        <TransfersAuditContent />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/clusters" title="Clusters">
        <ClustersContent />
      </TabbedLayout.Route>
    </TabbedLayout>
  );
}

/**
 * The plugin's page below its mount point: the tabs, and a transfer's own page at `transfers/:id` (the
 * path of transferRouteRef) without them.
 */
export function NamespaceTransferContent() {
  return (
    <Routes>
      <Route path="transfers/:id" element={<TransferPage />} />
      <Route path="*" element={<RootTabs />} />
    </Routes>
  );
}

/** Full page with header, for apps on the legacy frontend system. */
export function NamespaceTransferPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Namespace Transfer"
        subtitle="Move and copy PVC data between namespaces and clusters"
      />
      <NamespaceTransferContent />
    </Page>
  );
}
