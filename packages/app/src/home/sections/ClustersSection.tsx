import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { clustersRouteRef } from '@namespace-transfer/plugin-namespace-transfer';
import Typography from '@material-ui/core/Typography';
import { HomeSection } from '../HomeSection';

/** Where the clusters are listed: the Clusters tab of the namespace-transfer plugin's page. */
export function ClustersSection() {
  const clustersPage = useRouteRef(clustersRouteRef);
  return (
    <HomeSection id="clusters" title="Clusters" narrow>
      <Typography variant="body2" paragraph>
        Volumes are read from every configured Kubernetes cluster. The clusters
        page shows which clusters these are, whether the portal reaches each
        one, and what it may do there.
      </Typography>
      <Link to={clustersPage()}>Go to the clusters page</Link>
    </HomeSection>
  );
}
