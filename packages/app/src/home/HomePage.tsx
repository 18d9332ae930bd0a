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
import { PendingApprovalsSection } from './sections/PendingApprovalsSection';
import { TransfersInFlightSection } from './sections/TransfersInFlightSection';
import { useSignedInUser } from './useSignedInUser';

/**
 * What the signed-in person can do here, one section each: what waits for their approval and their own
 * transfers under way (first: they need the person now), their components on Kubernetes (each leading to
 * its Volumes & transfers tab) and the clusters. Sections are added here as the portal grows.
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
            <PendingApprovalsSection />
            <TransfersInFlightSection
              userEntityRef={user.value.userEntityRef}
            />
            <KubernetesEntitiesSection user={user.value} />
            <ClustersSection />
          </Grid>
        )}
      </Content>
    </Page>
  );
}
