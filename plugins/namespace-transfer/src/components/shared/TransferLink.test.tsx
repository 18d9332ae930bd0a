import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { rootRouteRef } from '../../routes';
import { TransferLink } from './TransferLink';

const transfer = {
  id: 'abc',
  url: 'https://portal.example.com/namespace-transfer/transfers/abc',
};

describe('TransferLink', () => {
  it("links to the transfer's page under the plugin's mount point", async () => {
    await renderInTestApp(
      <TransferLink transfer={transfer}>data</TransferLink>,
      {
        mountedRoutes: { '/transfers-here': rootRouteRef },
      },
    );
    expect(screen.getByRole('link', { name: 'data' })).toHaveAttribute(
      'href',
      '/transfers-here/transfers/abc',
    );
  });

  it("falls back to the backend's address where the page is not mounted", async () => {
    await renderInTestApp(<TransferLink transfer={transfer} />);
    expect(screen.getByRole('link', { name: /^Transfer abc/ })).toHaveAttribute(
      'href',
      transfer.url,
    );
  });
});
