import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { VolumeTransferredTo } from '@namespace-transfer/plugin-namespace-transfer-common';

/** PVC phase with the status colours people know from the Kubernetes plugin. */
export function VolumeStatus({ phase }: { phase: string }) {
  switch (phase) {
    case 'Bound':
      return <StatusOK>Bound</StatusOK>;
    case 'Pending':
      return <StatusPending>Pending</StatusPending>;
    case 'Terminating':
      return <StatusWarning>Terminating</StatusWarning>;
    default:
      return <StatusError>{phase}</StatusError>;
  }
}

/** "moved to <cluster/namespace/name> by transfer <id>": a source claim a finished move left behind. */
export function TransferredTo({
  transferredTo,
}: {
  transferredTo?: VolumeTransferredTo;
}) {
  if (!transferredTo) return null;
  const { destination, transferId } = transferredTo;
  return (
    <Typography variant="caption" display="block" color="textSecondary">
      {`moved to ${destination}${transferId ? ` by transfer ${transferId}` : ''}`}
    </Typography>
  );
}
