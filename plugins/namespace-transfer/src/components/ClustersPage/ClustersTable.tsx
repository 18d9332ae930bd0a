import {
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { ClusterStatus } from '@namespace-transfer/plugin-namespace-transfer-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { namespaceTransferApiRef } from '../../api';

/** Only a cluster that answered can say whether it serves OpenShift's APIs. */
function flavour(c: ClusterStatus): string {
  if (!c.reachable) return '—';
  return c.openshift ? 'OpenShift' : 'Kubernetes';
}

const columns: TableColumn<ClusterStatus>[] = [
  { title: 'Cluster', field: 'name', highlight: true },
  { title: 'API server', field: 'url' },
  {
    title: 'Status',
    field: 'reachable',
    render: c =>
      c.reachable ? (
        <StatusOK>Reachable</StatusOK>
      ) : (
        <StatusError>{c.error?.reason ?? 'unreachable'}</StatusError>
      ),
  },
  { title: 'Version', field: 'version', render: c => c.version ?? '—' },
  { title: 'Flavour', render: flavour },
  {
    title: 'TLS',
    render: c =>
      c.skipTLSVerify ? 'not verified (skipTLSVerify)' : 'verified',
  },
  {
    title: 'Details',
    render: c => (
      <Typography variant="body2" color={c.error ? 'error' : 'textSecondary'}>
        {c.error?.message ?? 'The service account can reach the API server.'}
      </Typography>
    ),
  },
];

/** The configured clusters and whether the backend can reach them with their credentials. */
export function ClustersTable() {
  const api = useApi(namespaceTransferApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getClusters(),
    [api],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  return (
    <Table<ClusterStatus>
      title="Clusters"
      subtitle="from kubernetes.clusterLocatorMethods"
      options={{ paging: false, search: false, draggable: false }}
      columns={columns}
      data={value?.clusters ?? []}
      actions={[
        {
          icon: () => <span>↻</span>,
          tooltip: 'Check again',
          isFreeAction: true,
          onClick: () => retry(),
        },
      ]}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          No clusters configured. Add them under
          kubernetes.clusterLocatorMethods (type: config).
        </Typography>
      }
    />
  );
}
