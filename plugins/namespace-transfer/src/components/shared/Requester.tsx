import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import type { TransferSummary } from '@namespace-transfer/plugin-namespace-transfer-common';

/**
 * Who asked for a transfer: a user, linked to their catalog page; or, for a transfer requested through the
 * Kubernetes API, its NamespaceTransferRequest, marked as such (it is managed there, not in the portal, and
 * has no catalog page to link to).
 */
export function Requester(props: {
  transfer: Pick<
    TransferSummary,
    'requester' | 'requestedVia' | 'kubernetesRequest'
  >;
}) {
  const { requester, requestedVia, kubernetesRequest: r } = props.transfer;
  if (requestedVia !== 'kubernetes')
    return <EntityRefLink entityRef={requester} defaultKind="user" />;
  const name = r ? `${r.namespace}/${r.name}` : requester;
  return (
    <Box
      component="span"
      display="inline-flex"
      alignItems="center"
      flexWrap="wrap"
      style={{ gap: 4 }}
    >
      <Typography variant="body2" component="span">
        {name}
      </Typography>
      <Chip
        size="small"
        variant="outlined"
        label="via Kubernetes API"
        title={
          r
            ? `NamespaceTransferRequest ${name} on cluster ${r.cluster}: managed there, not through the portal`
            : 'requested through the Kubernetes API'
        }
      />
    </Box>
  );
}
