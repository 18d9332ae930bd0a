import {
  configure,
  act,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { TransferPage } from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi, namespaceTransferApiRef } from '../../api';
import { fakeSignalApi, sampleTransfer } from '../../lib/testing';
import { rootRouteRef } from '../../routes';
import { MyTransfersCard } from './MyTransfersCard';
import { PendingApprovalsCard } from './PendingApprovalsCard';

function render(
  element: JSX.Element,
  api: Partial<NamespaceTransferApi>,
  signals = fakeSignalApi(),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [namespaceTransferApiRef, api],
        [signalApiRef, signals],
        [
          identityApiRef,
          mockApis.identity({ userEntityRef: 'user:default/alice' }),
        ],
      ]}
    >
      {element}
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/namespace-transfer': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

const pending = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    sampleTransfer({
      id: `tr-${i}`,
      source: {
        cluster: 'east',
        namespace: 'payments',
        claim: `data-${i}`,
        entityRef: 'component:default/payments-db',
      },
      allowedActions: ['approve', 'reject'],
    }),
  );

// tables and dialogs rendered on a shared machine
jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 15_000 });

describe('PendingApprovalsCard', () => {
  it('counts the requests waiting and links the first five to their pages', async () => {
    const getPendingApprovals = jest.fn(async (): Promise<TransferPage> => ({
      items: pending(7),
    }));
    await render(<PendingApprovalsCard />, { getPendingApprovals });

    expect(
      await screen.findByText('7 requests wait for your approval.'),
    ).toBeInTheDocument();
    const rows = within(
      screen.getByRole('table', { name: 'Waiting for your approval' }),
    )
      .getAllByRole('row')
      .slice(1);
    expect(rows).toHaveLength(5);
    expect(
      within(rows[0])
        .getAllByRole('link')
        .some(link =>
          link
            .getAttribute('href')
            ?.endsWith('/namespace-transfer/transfers/tr-0'),
        ),
    ).toBe(true);
    expect(getPendingApprovals).toHaveBeenCalledWith({ limit: 50 });
  });

  it('says "or more" when it did not read them all', async () => {
    await render(<PendingApprovalsCard />, {
      getPendingApprovals: async () => ({
        items: pending(50),
        nextCursor: 'more',
      }),
    });
    expect(
      await screen.findByText('50 or more requests wait for your approval.'),
    ).toBeInTheDocument();
  });

  it('counts down live when a request is decided elsewhere', async () => {
    const signals = fakeSignalApi();
    const [first, second] = pending(2);
    await render(
      <PendingApprovalsCard />,
      {
        getPendingApprovals: async () => ({ items: [first, second] }),
        getTransfer: async () => ({
          transfer: { ...first, state: 'approved', allowedActions: [] },
          decisions: [],
        }),
      },
      signals,
    );
    expect(
      await screen.findByText('2 requests wait for your approval.'),
    ).toBeInTheDocument();
    act(() => signals.send({ id: 'tr-0', state: 'approved' }));
    expect(
      await screen.findByText('1 request waits for your approval.'),
    ).toBeInTheDocument();
  });

  it('says when nothing waits, and shows no table', async () => {
    await render(<PendingApprovalsCard />, {
      getPendingApprovals: async () => ({ items: [] }),
    });
    expect(
      await screen.findByText('No requests wait for your approval.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it("shows the backend's message when it cannot read them", async () => {
    await render(<PendingApprovalsCard />, {
      getPendingApprovals: async () => {
        throw new Error('the catalog does not answer');
      },
    });
    expect(
      (await screen.findAllByText(/the catalog does not answer/)).length,
    ).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeInTheDocument();
  });
});

describe('MyTransfersCard', () => {
  const mine = sampleTransfer({
    id: 'tr-9',
    state: 'running',
    phase: 'Syncing',
    progress: { bytesDone: 0, bytesTotal: 4 * 1024 ** 3 },
  });

  it("asks for the signed-in user's transfers that have not ended and follows their progress live", async () => {
    const listTransfers = jest.fn(async (): Promise<TransferPage> => ({
      items: [mine],
    }));
    const signals = fakeSignalApi();
    await render(<MyTransfersCard />, { listTransfers }, signals);

    const table = await screen.findByRole('table', {
      name: 'Your transfers in flight',
    });
    expect(listTransfers).toHaveBeenCalledWith({
      requester: 'user:default/alice',
      state: ['pending-approval', 'approved', 'running', 'staged'],
      sort: 'updatedAt',
      order: 'desc',
      limit: 10,
    });
    const row = within(table).getAllByRole('row')[1];
    expect(row).toHaveTextContent('Syncing');

    act(() =>
      signals.send({
        id: 'tr-9',
        phase: 'Verifying',
        progress: { bytesDone: 3 * 1024 ** 3 },
      }),
    );
    expect(await within(row).findByText('Verifying')).toBeInTheDocument();
    expect(row).toHaveTextContent('75%');
    expect(listTransfers).toHaveBeenCalledTimes(1);
  });

  it('takes out a transfer that ends, once it was read again', async () => {
    const other = sampleTransfer({ id: 'tr-8', state: 'pending-approval' });
    const listTransfers = jest.fn(async () => ({ items: [mine, other] }));
    const getTransfer = jest.fn(async () => ({
      transfer: { ...mine, state: 'succeeded' as const },
      decisions: [],
    }));
    const signals = fakeSignalApi();
    await render(<MyTransfersCard />, { listTransfers, getTransfer }, signals);
    const table = await screen.findByRole('table', {
      name: 'Your transfers in flight',
    });
    expect(within(table).getAllByRole('row')).toHaveLength(3);

    act(() => signals.send({ id: 'tr-9', state: 'succeeded' }));

    await waitFor(() =>
      expect(within(table).getAllByRole('row')).toHaveLength(2),
    );
    expect(getTransfer).toHaveBeenCalledWith('tr-9');
    expect(listTransfers).toHaveBeenCalledTimes(1);
  });

  it('lists the transfers of the user it is given', async () => {
    const listTransfers = jest.fn(async () => ({ items: [mine] }));
    await render(<MyTransfersCard userEntityRef="user:default/bob" />, {
      listTransfers,
    });
    await screen.findByRole('table');
    expect(listTransfers).toHaveBeenCalledWith(
      expect.objectContaining({ requester: 'user:default/bob' }),
    );
  });

  it('says how to start one when none is under way', async () => {
    await render(<MyTransfersCard />, {
      listTransfers: async () => ({ items: [] }),
    });
    expect(
      await screen.findByText(/None of your transfers is under way/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it("shows the backend's message when the list cannot be read", async () => {
    await render(<MyTransfersCard />, {
      listTransfers: async () => {
        throw new Error('permission denied: namespace-transfer.read');
      },
    });
    expect(
      (await screen.findAllByText(/permission denied/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).toBeNull();
  });
});
