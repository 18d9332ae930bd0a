import { configure, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { namespaceTransferApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { refusal } from '../../lib/testing';
import { NamespaceTransferPage } from './NamespaceTransferPage';

// tables and tabs render slowly on a busy test machine
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(30_000);

// the audit tab is helper code of its own with its own tests; here only where it is routed matters
jest.mock('../AuditPage', () => ({
  TransfersAuditContent: () => <p>every transfer, filtered</p>,
}));

function api() {
  return {
    getClusters: jest.fn(async () => ({ clusters: [] })),
    getTransfer: jest.fn(() =>
      refusal(404, 'not found').then(e => Promise.reject(e)),
    ),
    getTransferEvents: jest.fn(async () => ({ events: [] })),
  };
}

describe('NamespaceTransferPage', () => {
  it('opens on the Transfers tab and switches to Clusters', async () => {
    const client = api();
    await renderInTestApp(
      <TestApiProvider apis={[[namespaceTransferApiRef, client]]}>
        <NamespaceTransferPage />
      </TestApiProvider>,
    );
    expect(screen.getByText('every transfer, filtered')).toBeInTheDocument();
    expect(client.getClusters).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('tab', { name: 'Clusters' }));

    expect(
      await screen.findByText(/No clusters configured/),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('every transfer, filtered'),
    ).not.toBeInTheDocument();
  });

  it("routes transfers/:id to the transfer's own page, without the tabs", async () => {
    const client = api();
    await renderInTestApp(
      <TestApiProvider apis={[[namespaceTransferApiRef, client]]}>
        <NamespaceTransferPage />
      </TestApiProvider>,
      {
        routeEntries: ['/transfers/t-42'],
        mountedRoutes: { '/namespace-transfer': rootRouteRef },
      },
    );
    expect(await screen.findByText('No such transfer')).toBeInTheDocument();
    expect(client.getTransfer).toHaveBeenCalledWith('t-42');
    expect(screen.queryByRole('tab')).not.toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: '← All transfers' }),
    ).toHaveAttribute('href', '/namespace-transfer');
  });
});
