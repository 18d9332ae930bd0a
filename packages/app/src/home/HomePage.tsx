import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { ClustersSection } from './sections/ClustersSection';
import { KubernetesEntitiesSection } from './sections/KubernetesEntitiesSection';
import { useSignedInUser } from './useSignedInUser';

/**
 * What the signed-in person can do here, one section each: their components on Kubernetes (each leading
 * to its Volumes & transfers tab) and the clusters. Sections are added here as the portal grows.
 */
export function HomePage() {
  const user = useSignedInUser();
  return (
    <Page themeId="home">
      <Header
        title={user.value ? `Welcome, ${user.value.displayName}` : 'Welcome'}
        subtitle="Move and copy the data of your Kubernetes volumes between namespaces and clusters"
      />
      <Content>
        {user.loading && <Progress />}
        {user.error && <ResponseErrorPanel error={user.error} />}
        {user.value && (
          <Grid container spacing={3}>
            <KubernetesEntitiesSection user={user.value} />
            <ClustersSection />
          </Grid>
        )}
      </Content>
    </Page>
  );
}
