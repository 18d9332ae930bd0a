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
import { fakeSignalApi, refusal, sampleTransfer } from '../../lib/testing';
import { rootRouteRef } from '../../routes';
import { PendingApprovals } from './PendingApprovals';

const ENTITY = 'component:default/payments-db';

const waiting = sampleTransfer({
  id: 'tr-1',
  requester: 'user:default/alice',
  comment: 'orders needs the ledger for its reports',
  allowedActions: ['approve', 'reject'],
});

function render(
  api: Partial<NamespaceTransferApi>,
  signals = fakeSignalApi(),
  entityRef: string | undefined = ENTITY,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [namespaceTransferApiRef, api],
        [signalApiRef, signals],
      ]}
    >
      <PendingApprovals entityRef={entityRef || undefined} />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/namespace-transfer': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

const table = () =>
  screen.findByRole('table', { name: 'Waiting for my approval' });
const rows = async () =>
  within(await table())
    .getAllByRole('row')
    .slice(1);

// tables and dialogs rendered on a shared machine
jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 15_000 });

describe('PendingApprovals', () => {
  it('shows each request with its plan, requester and comment, reading past pages that hold none the user may approve', async () => {
    const getPendingApprovals = jest.fn(
      async (query?: { cursor?: string }): Promise<TransferPage> =>
        query?.cursor ? { items: [waiting] } : { items: [], nextCursor: 'c1' },
    );
    await render({ getPendingApprovals });

    const [row] = await rows();
    expect(row).toHaveTextContent('alice');
    expect(row).toHaveTextContent('orders needs the ledger for its reports');
    expect(row).toHaveTextContent('copy: the claims are on different clusters');
    expect(row).toHaveTextContent('Estimated 5 min, downtime 20 s');
    expect(within(row).getByRole('button', { name: 'Approve' })).toBeEnabled();
    expect(within(row).getByRole('button', { name: 'Reject' })).toBeEnabled();
    expect(getPendingApprovals.mock.calls.map(([q]) => q)).toEqual([
      { entityRef: ENTITY, limit: 20 },
      { entityRef: ENTITY, limit: 20, cursor: 'c1' },
    ]);
    expect(screen.queryByText(/No requests wait/)).toBeNull();
  });

  it('asks for all requests of the user when no entity is given', async () => {
    const getPendingApprovals = jest.fn(async () => ({ items: [waiting] }));
    // no entity: every request the user may decide
    await render({ getPendingApprovals }, fakeSignalApi(), '');
    await table();
    expect(getPendingApprovals).toHaveBeenCalledWith({ limit: 20 });
  });

  it('approves with a comment, and the request leaves the list', async () => {
    const approveTransfer = jest.fn(async (): Promise<TransferSummary> => ({
      ...waiting,
      state: 'approved',
      allowedActions: ['cancel'],
    }));
    await render({
      getPendingApprovals: async () => ({ items: [waiting] }),
      approveTransfer,
    });
    const [row] = await rows();
    await userEvent.click(within(row).getByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/Comment/),
      'fine outside business hours',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    expect(approveTransfer).toHaveBeenCalledWith('tr-1', {
      comment: 'fine outside business hours',
    });
    expect(
      await screen.findByText('No requests wait for your approval.'),
    ).toBeInTheDocument();
  });

  it('takes out a request the user approved that still waits for a second approver', async () => {
    const approveTransfer = jest.fn(async (): Promise<TransferSummary> => ({
      ...waiting,
      approvedBy: ['user:default/bob'],
      allowedActions: ['reject'],
    }));
    await render({
      getPendingApprovals: async () => ({ items: [waiting] }),
      approveTransfer,
    });
    const [row] = await rows();
    await userEvent.click(within(row).getByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    expect(
      await screen.findByText('No requests wait for your approval.'),
    ).toBeInTheDocument();
    expect(approveTransfer).toHaveBeenCalledTimes(1);
  });

  it('shows why a rejection was refused and keeps the request', async () => {
    const rejectTransfer = jest.fn(async () => {
      throw await refusal(
        409,
        'cannot reject: the transfer is approved; reject is possible only when it is pending-approval',
      );
    });
    await render({
      getPendingApprovals: async () => ({ items: [waiting] }),
      rejectTransfer,
    });
    const [row] = await rows();
    await userEvent.click(within(row).getByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    expect(
      (await screen.findAllByText(/cannot reject: the transfer is approved/))
        .length,
    ).toBeGreaterThan(0);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await rows()).toHaveLength(1);
  });

  it('takes out a request another approver decided, seen through a signal, without reading the list again', async () => {
    const getPendingApprovals = jest.fn(async () => ({
      items: [
        waiting,
        sampleTransfer({ id: 'tr-2', allowedActions: ['approve'] }),
      ],
    }));
    const getTransfer = jest.fn(async () => ({
      transfer: { ...waiting, state: 'rejected' as const, allowedActions: [] },
      decisions: [],
    }));
    const signals = fakeSignalApi();
    await render({ getPendingApprovals, getTransfer }, signals);
    expect(await rows()).toHaveLength(2);

    act(() => signals.send({ id: 'tr-1', state: 'rejected' }));

    await waitFor(() =>
      expect(screen.queryByText(/orders needs the ledger/)).toBeNull(),
    );
    expect(await rows()).toHaveLength(1);
    expect(getTransfer).toHaveBeenCalledWith('tr-1');
    expect(getPendingApprovals).toHaveBeenCalledTimes(1);
  });

  it('shows a new request as soon as its signal comes', async () => {
    const fresh = sampleTransfer({
      id: 'tr-new',
      comment: 'a second copy for the load test',
      allowedActions: ['approve', 'reject'],
    });
    const getPendingApprovals = jest
      .fn<Promise<TransferPage>, []>()
      .mockResolvedValueOnce({ items: [] })
      .mockResolvedValueOnce({ items: [fresh] });
    const signals = fakeSignalApi();
    await render({ getPendingApprovals }, signals);
    expect(
      await screen.findByText('No requests wait for your approval.'),
    ).toBeInTheDocument();

    act(() => signals.send({ id: 'tr-new', state: 'pending-approval' }));

    expect(
      await screen.findByText('a second copy for the load test'),
    ).toBeInTheDocument();
    expect(getPendingApprovals).toHaveBeenCalledTimes(2);
  });

  it('shows only the actions the user may take', async () => {
    await render({
      getPendingApprovals: async () => ({
        items: [{ ...waiting, allowedActions: ['approve'] }],
      }),
    });
    const [row] = await rows();
    expect(within(row).getByRole('button', { name: 'Approve' })).toBeEnabled();
    expect(within(row).queryByRole('button', { name: 'Reject' })).toBeNull();
  });

  it('says so when nothing waits', async () => {
    await render({ getPendingApprovals: async () => ({ items: [] }) });
    expect(
      await screen.findByText('No requests wait for your approval.'),
    ).toBeInTheDocument();
  });

  it("shows the backend's message when the requests cannot be read", async () => {
    const refused = await refusal(403, 'you may not read transfers');
    await render({
      getPendingApprovals: async () => {
        throw refused;
      },
    });
    expect(
      (await screen.findAllByText(/you may not read transfers/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).toBeNull();
  });
});
