import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { Requester } from './Requester';

const routes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

describe('Requester', () => {
  it('links a user who asked in the portal, without a marker', async () => {
    await renderInTestApp(
      <Requester
        transfer={{ requester: 'user:default/alice', requestedVia: 'portal' }}
      />,
      routes,
    );
    expect(screen.getByRole('link', { name: 'alice' })).toHaveAttribute(
      'href',
      '/catalog/default/user/alice',
    );
    expect(screen.queryByText('via Kubernetes API')).not.toBeInTheDocument();
  });

  it('names the NamespaceTransferRequest of a transfer asked through the Kubernetes API, marked as such', async () => {
    await renderInTestApp(
      <Requester
        transfer={{
          requester: 'kubernetes:apps-next/move-db',
          requestedVia: 'kubernetes',
          kubernetesRequest: {
            cluster: 'east',
            namespace: 'apps-next',
            name: 'move-db',
          },
        }}
      />,
      routes,
    );
    expect(screen.getByText('apps-next/move-db')).toBeInTheDocument();
    const marker = screen.getByText('via Kubernetes API').closest('div')!;
    expect(marker).toHaveAttribute(
      'title',
      'NamespaceTransferRequest apps-next/move-db on cluster east: managed there, not through the portal',
    );
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });
});
