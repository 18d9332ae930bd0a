import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { Volume } from '@namespace-transfer/plugin-namespace-transfer-common';
import { ClusterVolumesTable } from './ClusterVolumesTable';
import { formatTime } from './formatTime';

const volume: Volume = {
  cluster: 'east',
  namespace: 'payments',
  name: 'payments-db-data',
  capacity: '1Gi',
  storageClass: 'standard',
  phase: 'Bound',
  accessModes: ['ReadWriteOnce'],
  usedBy: {
    pods: [],
    workloads: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'payments-db',
        replicas: 0,
        quiescedBy: 'tr-9',
        quiescedAt: '2025-03-12T14:05:00Z',
      },
    ],
    unstoppable: [],
  },
  transferable: {
    transferable: true,
    source: 'default',
    reason: 'Transfers are allowed by default.',
  },
  transferredTo: {
    destination: 'west/payments/payments-db-data',
    transferId: 'tr-9',
  },
};

describe('ClusterVolumesTable', () => {
  it('shows a moved claim beside its status and the transfer holding its workload', async () => {
    await renderInTestApp(
      <ClusterVolumesTable cluster={{ cluster: 'east', volumes: [volume] }} />,
    );
    expect(screen.getByText('payments-db-data')).toBeInTheDocument();
    expect(screen.getByText('Bound')).toBeInTheDocument();
    expect(
      screen.getByText(
        'moved to west/payments/payments-db-data by transfer tr-9',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        `stopped by transfer tr-9 at ${formatTime('2025-03-12T14:05:00Z')}`,
      ),
    ).toBeInTheDocument();
  });
});
