import { ContentHeader } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { ClustersTable } from './ClustersTable';

/** The "Clusters" tab: the configured clusters and whether the backend reaches them. */
export function ClustersContent() {
  return (
    <>
      <ContentHeader title="Clusters">
        <Typography variant="body2" color="textSecondary">
          Volumes of catalog entities are read from these clusters.
        </Typography>
      </ContentHeader>
      <ClustersTable />
    </>
  );
}
