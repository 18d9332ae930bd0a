import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { namespaceTransferApiRef } from '../../api';
import { ClustersTable } from './ClustersTable';

describe('ClustersTable', () => {
  it('lists clusters with their reachability and the reason of a failure', async () => {
    const getClusters = jest.fn(async () => ({
      clusters: [
        {
          name: 'east',
          url: 'https://127.1.0.1:6443',
          reachable: true,
          version: 'v1.28.0',
          openshift: false,
          skipTLSVerify: false,
        },
        {
          name: 'west',
          url: 'https://127.2.0.1:6443',
          reachable: false,
          skipTLSVerify: false,
          error: {
            reason: 'unauthorized' as const,
            message:
              "Cluster 'west' refused the configured service account token",
          },
        },
      ],
    }));
    await renderInTestApp(
      <TestApiProvider apis={[[namespaceTransferApiRef, { getClusters }]]}>
        <ClustersTable />
      </TestApiProvider>,
    );
    expect(await screen.findByText('east')).toBeInTheDocument();
    expect(screen.getByText('Reachable')).toBeInTheDocument();
    expect(screen.getByText('v1.28.0')).toBeInTheDocument();
    expect(screen.getByText('unauthorized')).toBeInTheDocument();
    expect(
      screen.getByText(/refused the configured service account token/),
    ).toBeInTheDocument();
  });

  it('says how to configure clusters when there are none', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            namespaceTransferApiRef,
            { getClusters: async () => ({ clusters: [] }) },
          ],
        ]}
      >
        <ClustersTable />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/No clusters configured/),
    ).toBeInTheDocument();
  });
});
