import {
  configure,
  act,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  TransferPage,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi, namespaceTransferApiRef } from '../../api';
import { fakeSignalApi, sampleTransfer } from '../../lib/testing';
import { rootRouteRef } from '../../routes';
import { EntityTransfers } from './EntityTransfers';

const ENTITY = 'component:default/payments-db';

const running = sampleTransfer({
  id: 'tr-1',
  state: 'running',
  phase: 'Syncing',
  progress: { bytesDone: 0, bytesTotal: 2 * 1024 ** 3 },
  allowedActions: ['cancel'],
});

function render(
  api: Partial<NamespaceTransferApi>,
  signals?: ReturnType<typeof fakeSignalApi>,
) {
  const content = <EntityTransfers entityRef={ENTITY} />;
  return renderInTestApp(
    signals ? (
      <TestApiProvider
        apis={[
          [namespaceTransferApiRef, api],
          [signalApiRef, signals],
        ]}
      >
        {content}
      </TestApiProvider>
    ) : (
      // an app without the signals plugin
      <TestApiProvider apis={[[namespaceTransferApiRef, api]]}>
        {content}
      </TestApiProvider>
    ),
    {
      mountedRoutes: {
        '/namespace-transfer': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

const table = () =>
  screen.findByRole('table', { name: 'Transfers of this entity' });

// tables and dialogs rendered on a shared machine
jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 15_000 });

describe('EntityTransfers', () => {
  it("asks for the entity's transfers, newest first, and follows a live update without asking again", async () => {
    const listTransfers = jest.fn(async (): Promise<TransferPage> => ({
      items: [running],
    }));
    const getTransfer = jest.fn();
    const signals = fakeSignalApi();
    await render({ listTransfers, getTransfer }, signals);

    const row = within(await table()).getAllByRole('row')[1];
    expect(row).toHaveTextContent('Syncing');
    expect(listTransfers).toHaveBeenCalledWith({
      entityRef: ENTITY,
      sort: 'createdAt',
      order: 'desc',
      limit: 20,
    });

    act(() =>
      signals.send({
        id: 'tr-1',
        phase: 'Verifying',
        progress: { bytesDone: 1024 ** 3, rateBytesPerSecond: 50 * 1024 ** 2 },
      }),
    );
    expect(await within(row).findByText('Verifying')).toBeInTheDocument();
    expect(row).toHaveTextContent('50%');
    expect(listTransfers).toHaveBeenCalledTimes(1);
    expect(getTransfer).not.toHaveBeenCalled();
    // live: nothing to refresh by hand
    expect(screen.queryByRole('button', { name: 'Refresh' })).toBeNull();
  });

  it('shows only the actions the user may take and the transfer as a decision left it', async () => {
    const cancelled: TransferSummary = {
      ...running,
      state: 'cancelled',
      allowedActions: ['retry'],
    };
    const cancelTransfer = jest.fn(async () => cancelled);
    await render(
      { listTransfers: async () => ({ items: [running] }), cancelTransfer },
      fakeSignalApi(),
    );
    const row = within(await table()).getAllByRole('row')[1];
    expect(within(row).queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(within(row).queryByRole('button', { name: 'Retry' })).toBeNull();

    await userEvent.click(
      within(row).getByRole('button', { name: 'Cancel transfer' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/Comment/),
      'wrong namespace',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel transfer' }),
    );

    expect(cancelTransfer).toHaveBeenCalledWith('tr-1', {
      comment: 'wrong namespace',
    });
    expect(
      await within(row).findByRole('button', { name: 'Retry' }),
    ).toBeInTheDocument();
    expect(
      within(row).queryByRole('button', { name: 'Cancel transfer' }),
    ).toBeNull();
  });

  it('reads the further pages on request', async () => {
    const listTransfers = jest.fn(
      async (query?: { cursor?: string }): Promise<TransferPage> =>
        query?.cursor
          ? { items: [sampleTransfer({ id: 'tr-old', phase: 'Succeeded' })] }
          : { items: [running], nextCursor: 'page-2' },
    );
    await render({ listTransfers }, fakeSignalApi());
    await table();
    await userEvent.click(screen.getByRole('button', { name: 'Show more' }));

    expect(
      await screen.findByText('Succeeded', { exact: false }),
    ).toBeInTheDocument();
    expect(listTransfers).toHaveBeenLastCalledWith(
      expect.objectContaining({ entityRef: ENTITY, cursor: 'page-2' }),
    );
    expect(within(await table()).getAllByRole('row')).toHaveLength(3);
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
  });

  it('asks the API for another order when a header is pressed', async () => {
    const listTransfers = jest.fn(async () => ({ items: [running] }));
    await render({ listTransfers }, fakeSignalApi());
    await table();
    await userEvent.click(screen.getByRole('button', { name: /Updated/ }));
    await waitFor(() =>
      expect(listTransfers).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'updatedAt', order: 'desc' }),
      ),
    );
  });

  it('offers Refresh where live updates are off, and reads the list again with it', async () => {
    const listTransfers = jest
      .fn<Promise<TransferPage>, []>()
      .mockResolvedValueOnce({ items: [] })
      .mockResolvedValueOnce({ items: [running] });
    await render({ listTransfers });

    expect(
      await screen.findByText(/No transfers from or into this entity yet/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText('Syncing')).toBeInTheDocument();
    expect(listTransfers).toHaveBeenCalledTimes(2);
  });

  it("shows the backend's message when the list cannot be read, and no empty table", async () => {
    await render(
      {
        listTransfers: async () => {
          throw new Error('the store is unreachable');
        },
      },
      fakeSignalApi(),
    );
    expect(
      (await screen.findAllByText(/the store is unreachable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeInTheDocument();
  });

  it('shows progress while the list loads', async () => {
    await render(
      { listTransfers: () => new Promise(() => {}) },
      fakeSignalApi(),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
