import {
  Content,
  ContentHeader,
  Header,
  Page,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { ClustersTable } from './ClustersTable';

/** The platform team's content; the transfer audit joins it in a later release. */
export function NamespaceTransferContent() {
  return (
    <Content>
      <ContentHeader title="Clusters">
        <Typography variant="body2" color="textSecondary">
          Volumes of catalog entities are read from these clusters.
        </Typography>
      </ContentHeader>
      <ClustersTable />
    </Content>
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
