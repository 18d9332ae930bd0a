import {
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { namespaceTransferApiRef } from '../../api';
import { ClusterVolumesTable } from './ClusterVolumesTable';
import {
  isNamespaceTransferAvailable,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from './isNamespaceTransferAvailable';

/** The "Volumes & transfers" tab: the entity's PVCs on every configured cluster. */
export function EntityVolumesContent() {
  const { entity } = useEntity();
  const api = useApi(namespaceTransferApiRef);
  const available = isNamespaceTransferAvailable(entity);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(
    async () => (available ? api.getEntityVolumes(entityRef) : undefined),
    [api, entityRef, available],
  );

  if (!available) {
    return (
      <MissingAnnotationEmptyState
        annotation={[
          KUBERNETES_ID_ANNOTATION,
          KUBERNETES_LABEL_SELECTOR_ANNOTATION,
        ]}
        readMoreUrl="https://backstage.io/docs/features/kubernetes/configuration#surfacing-your-kubernetes-components-as-part-of-an-entity"
      />
    );
  }
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

  if (value.clusters.length === 0) {
    return (
      <WarningPanel
        title="No Kubernetes clusters configured"
        message="Add clusters under kubernetes.clusterLocatorMethods (type: config) in app-config.yaml."
      />
    );
  }
  const total = value.clusters.reduce((n, c) => n + c.volumes.length, 0);
  const scope = value.selector.namespace
    ? ` in namespace ${value.selector.namespace}`
    : ' in all namespaces';
  const read = value.clusters.filter(c => !c.error).length;
  // Say how many clusters answered, so "0 volumes" is not mistaken for "none anywhere".
  const clusters =
    read === value.clusters.length
      ? `${read} cluster${read === 1 ? '' : 's'}`
      : `${read} of ${value.clusters.length} clusters (${value.clusters.length - read} could not be read)`;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Typography variant="body2" color="textSecondary">
          {total} volume{total === 1 ? '' : 's'} found by label selector{' '}
          <code>{value.selector.labelSelector}</code>
          {scope} on {clusters}.
        </Typography>
      </Grid>
      {value.clusters.map(cluster => (
        <Grid item xs={12} key={cluster.cluster}>
          <ClusterVolumesTable cluster={cluster} />
        </Grid>
      ))}
    </Grid>
  );
}
