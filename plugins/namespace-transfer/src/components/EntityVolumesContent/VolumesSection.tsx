import { useState } from 'react';
import {
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  EntityVolumesResponse,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import useAsync from 'react-use/esm/useAsync';
import { namespaceTransferApiRef } from '../../api';
import { RequestDialog, RequestSource } from '../RequestDialog';
import { ClusterVolumesTable } from './ClusterVolumesTable';
import { RequestedNotice } from './RequestedNotice';
import { RequestContext, useRequestContext } from './useRequestContext';

/** "12 volumes found by label selector … on 2 clusters", so that "0 volumes" is not read as "none anywhere". */
function Summary({ value }: { value: EntityVolumesResponse }) {
  const total = value.clusters.reduce((n, c) => n + c.volumes.length, 0);
  const scope = value.selector.namespace
    ? ` in namespace ${value.selector.namespace}`
    : ' in all namespaces';
  const read = value.clusters.filter(c => !c.error).length;
  const clusters =
    read === value.clusters.length
      ? `${read} cluster${read === 1 ? '' : 's'}`
      : `${read} of ${value.clusters.length} clusters (${value.clusters.length - read} could not be read)`;
  return (
    <Typography variant="body2" color="textSecondary">
      {total} volume{total === 1 ? '' : 's'} found by label selector{' '}
      <code>{value.selector.labelSelector}</code>
      {scope} on {clusters}.
    </Typography>
  );
}

/** Why this user cannot request a transfer here, when they cannot. */
function RequestHint({ context }: { context: RequestContext }) {
  if (context.error)
    return (
      <WarningPanel
        title="Transfers cannot be requested right now"
        message={`Where you may request into could not be read: ${context.error.message}`}
      />
    );
  if (!context.destinations || context.canRequest) return null;
  return (
    <Typography variant="body2" color="textSecondary">
      You own no catalog entity with a namespace on a cluster, so there is
      nowhere you could request a transfer into.
    </Typography>
  );
}

/** The entity's claims on every configured cluster, each transferable one with "Transfer". */
export function VolumesSection({ entityRef }: { entityRef: string }) {
  const api = useApi(namespaceTransferApiRef);
  const { value, loading, error } = useAsync(
    () => api.getEntityVolumes(entityRef),
    [api, entityRef],
  );
  const context = useRequestContext();
  const [source, setSource] = useState<RequestSource>();
  const [requested, setRequested] = useState<TransferSummary[]>();

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
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Summary value={value} />
        <RequestHint context={context} />
        {requested && (
          <RequestedNotice
            transfers={requested}
            onDismiss={() => setRequested(undefined)}
          />
        )}
      </Grid>
      {value.clusters.map(cluster => (
        <Grid item xs={12} key={cluster.cluster}>
          <ClusterVolumesTable
            cluster={cluster}
            onTransfer={context.canRequest ? setSource : undefined}
          />
        </Grid>
      ))}
      {source && context.destinations && (
        <RequestDialog
          source={source}
          destinations={context.destinations}
          profile={context.profile}
          onClose={() => setSource(undefined)}
          onRequested={transfers => {
            setSource(undefined);
            setRequested(transfers);
          }}
        />
      )}
    </Grid>
  );
}
