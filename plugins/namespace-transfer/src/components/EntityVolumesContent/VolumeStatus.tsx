import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';

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
