import {
  act,
  configure,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  TRANSFER_STATES,
  TransferCallerProfile,
  TransferPage,
  TransferState,
  TransferStateCountsResponse,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi, namespaceTransferApiRef } from '../../api';
import { fakeSignalApi, refusal, sampleTransfer } from '../../lib/testing';
import { rootRouteRef } from '../../routes';
import { TransfersAuditContent } from './TransfersAuditContent';

const auditor: TransferCallerProfile = {
  userEntityRef: 'user:default/platform-admin',
  isAdmin: true,
  canAudit: true,
  allowSelfApproval: false,
  requiredApprovals: 1,
  cutoverWindows: [],
};
const member: TransferCallerProfile = {
  ...auditor,
  userEntityRef: 'user:default/alice',
  isAdmin: false,
  canAudit: false,
};

function counts(
  some: Partial<Record<TransferState, number>>,
): TransferStateCountsResponse {
  const all = Object.fromEntries(TRANSFER_STATES.map(s => [s, 0]));
  return {
    counts: { ...all, ...some } as TransferStateCountsResponse['counts'],
  };
}

const copy = sampleTransfer({ id: 'tr-1', state: 'succeeded' });
const rebind = sampleTransfer({
  id: 'tr-2',
  state: 'failed',
  requester: 'user:default/carol',
  error: 'rsync exited with 23',
});

type FakeApi = Record<
  | 'getCallerProfile'
  | 'listTransfers'
  | 'getStateCounts'
  | 'getTransfersPerDay'
  | 'getBytesPerDay'
  | 'exportTransfers',
  jest.Mock
>;

function fakeApi(overrides: Partial<FakeApi> = {}): FakeApi {
  return {
    getCallerProfile: jest.fn(async () => auditor),
    listTransfers: jest.fn(async (): Promise<TransferPage> => ({
      items: [copy, rebind],
    })),
    getStateCounts: jest.fn(async () => counts({ succeeded: 1, failed: 1 })),
    getTransfersPerDay: jest.fn(async () => ({
      days: [{ day: '2026-12-04', counts: { succeeded: 3, failed: 1 } }],
    })),
    getBytesPerDay: jest.fn(async () => ({
      days: [{ day: '2026-12-04', bytes: 3 * 1024 ** 3, transfers: 3 }],
    })),
    exportTransfers: jest.fn(async () => ({
      filename: 'namespace-transfers-2026-12-05.csv',
      blob: new Blob(['id,state\ntr-1,succeeded\n'], { type: 'text/csv' }),
    })),
    ...overrides,
  };
}

function render(
  api: Partial<NamespaceTransferApi>,
  url = '/',
  signals = fakeSignalApi(),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [namespaceTransferApiRef, api],
        [signalApiRef, signals],
      ]}
    >
      <TransfersAuditContent />
    </TestApiProvider>,
    {
      routeEntries: [url],
      mountedRoutes: {
        '/namespace-transfer': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

const lastCall = (fn: jest.Mock) => fn.mock.calls[fn.mock.calls.length - 1];

// a page of tables, cards and two charts renders slowly on a busy machine
jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 10_000 });

describe('TransfersAuditContent', () => {
  it('lists the transfers with counts by state, and a count filters the list by its state', async () => {
    const api = fakeApi();
    await render(api);

    const list = await screen.findByRole('table', { name: 'Transfers' });
    // a header and one row per transfer
    expect(within(list).getAllByRole('row')).toHaveLength(3);
    expect(api.listTransfers).toHaveBeenLastCalledWith({ limit: 25 });
    const byState = await screen.findByRole('group', {
      name: 'Transfers by state',
    });
    const failed = within(byState).getByRole('button', { name: 'Failed: 1' });
    expect(
      within(byState).getByRole('button', { name: 'Succeeded: 1' }),
    ).toBeInTheDocument();
    expect(failed).toHaveAttribute('aria-pressed', 'false');

    await userEvent.click(failed);
    await waitFor(() =>
      expect(api.listTransfers).toHaveBeenLastCalledWith({
        state: ['failed'],
        limit: 25,
      }),
    );
    expect(
      within(byState).getByRole('button', { name: 'Failed: 1' }),
    ).toHaveAttribute('aria-pressed', 'true');
    // the counts are of every state: choosing one does not ask them again with it
    expect(api.getStateCounts.mock.calls.every(([q]) => !('state' in q))).toBe(
      true,
    );
  });

  it('counts again and reads the list again when a transfer changes state, not on progress', async () => {
    const api = fakeApi();
    const signals = fakeSignalApi();
    await render(api, '/', signals);
    await screen.findByRole('group', { name: 'Transfers by state' });
    await waitFor(() => expect(signals.subscriberCount).toBeGreaterThan(0));
    const countsAsked = api.getStateCounts.mock.calls.length;
    const listAsked = api.listTransfers.mock.calls.length;

    api.getStateCounts.mockResolvedValue(counts({ succeeded: 1, failed: 2 }));
    act(() => signals.send({ id: 'tr-9', state: 'failed' }));
    expect(
      await screen.findByRole('button', { name: 'Failed: 2' }),
    ).toBeInTheDocument();
    expect(api.getStateCounts.mock.calls.length).toBe(countsAsked + 1);
    await waitFor(() =>
      expect(api.listTransfers.mock.calls.length).toBe(listAsked + 1),
    );

    act(() => signals.send({ id: 'tr-1', progress: { bytesDone: 1024 } }));
    act(() => signals.send({ id: 'tr-9', state: 'succeeded' }));
    // the state signal after it is answered, and the progress one before it asked nothing
    await waitFor(() =>
      expect(api.getStateCounts.mock.calls.length).toBe(countsAsked + 2),
    );
  });

  it('folds a burst of state signals into at most one more count while one is asked', async () => {
    const api = fakeApi();
    const signals = fakeSignalApi();
    await render(api, '/', signals);
    await screen.findByRole('button', { name: 'Failed: 1' });
    await waitFor(() => expect(signals.subscriberCount).toBeGreaterThan(0));
    const countsAsked = api.getStateCounts.mock.calls.length;
    const answers: Array<() => void> = [];
    api.getStateCounts.mockImplementation(
      () =>
        new Promise(resolve =>
          answers.push(() => resolve(counts({ succeeded: 1, failed: 50 }))),
        ),
    );

    for (let i = 0; i < 50; i++) {
      act(() => signals.send({ id: `tr-${i + 10}`, state: 'approved' }));
    }
    expect(api.getStateCounts.mock.calls.length).toBe(countsAsked + 1);

    // the answer to the first read may predate the later signals: one more read follows it, and only one
    await act(async () => answers.shift()?.());
    await waitFor(() =>
      expect(api.getStateCounts.mock.calls.length).toBe(countsAsked + 2),
    );
    await act(async () => answers.shift()?.());
    expect(
      await screen.findByRole('button', { name: 'Failed: 50' }),
    ).toBeInTheDocument();
    expect(api.getStateCounts.mock.calls.length).toBe(countsAsked + 2);
  });

  it('takes a row out of a list filtered by state once it is read again in another state', async () => {
    const running = sampleTransfer({ id: 'tr-7', state: 'running' });
    const api = {
      ...fakeApi({
        listTransfers: jest.fn(async () => ({ items: [running] })),
      }),
      getTransfer: jest.fn(async () => ({
        transfer: { ...running, state: 'failed' as const },
        decisions: [],
      })),
    };
    const signals = fakeSignalApi();
    await render(api, '/?state=running', signals);
    const list = await screen.findByRole('table', { name: 'Transfers' });
    expect(within(list).getAllByRole('row')).toHaveLength(2);
    await waitFor(() => expect(signals.subscriberCount).toBeGreaterThan(0));

    act(() => signals.send({ id: 'tr-7', state: 'failed' }));

    expect(
      await screen.findByText('No transfer matches these filters.'),
    ).toBeInTheDocument();
    expect(api.getTransfer).toHaveBeenCalledWith('tr-7');
  });

  it('applies the filters to the list and the counts, and refuses a value the API would refuse at its field', async () => {
    const api = fakeApi();
    await render(api);
    await screen.findByRole('table', { name: 'Transfers' });

    await userEvent.type(screen.getByLabelText('Namespace'), 'Bad_NS');
    await userEvent.click(
      screen.getByRole('button', { name: 'Apply filters' }),
    );
    expect(
      await screen.findByText(/namespace must be a DNS-1123 label/),
    ).toBeInTheDocument();
    expect(api.listTransfers).toHaveBeenCalledTimes(1);

    await userEvent.clear(screen.getByLabelText('Namespace'));
    await userEvent.type(screen.getByLabelText('Namespace'), 'payments');
    await userEvent.type(screen.getByLabelText('Cluster'), 'east');
    await userEvent.type(
      screen.getByLabelText('Requester'),
      'user:default/carol',
    );
    await userEvent.type(
      screen.getByLabelText('Created from (UTC day)'),
      '2026-12-01',
    );
    await userEvent.type(
      screen.getByLabelText('Created until (UTC day)'),
      '2026-12-04',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Apply filters' }),
    );

    const filters = {
      cluster: 'east',
      namespace: 'payments',
      requester: 'user:default/carol',
      createdAfter: '2026-12-01T00:00:00.000Z',
      createdBefore: '2026-12-05T00:00:00.000Z',
    };
    await waitFor(() =>
      expect(api.listTransfers).toHaveBeenLastCalledWith({
        ...filters,
        limit: 25,
      }),
    );
    await waitFor(() =>
      expect(api.getStateCounts).toHaveBeenLastCalledWith(filters),
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() =>
      expect(api.listTransfers).toHaveBeenLastCalledWith({ limit: 25 }),
    );
    expect(screen.getByLabelText('Namespace')).toHaveValue('');
  });

  it('reads the filters and the sort from the address, and says which it left out', async () => {
    const api = fakeApi();
    await render(
      api,
      '/?state=failed&state=cancelled&cluster=east&sort=requester&order=asc&namespace=NOT_A_NAME',
    );
    await screen.findByRole('table', { name: 'Transfers' });
    expect(api.listTransfers).toHaveBeenLastCalledWith({
      state: ['failed', 'cancelled'],
      cluster: 'east',
      sort: 'requester',
      order: 'asc',
      limit: 25,
    });
    expect(
      screen.getByText(/Some filters in the address were left out/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/namespace must be a DNS-1123 label/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Cluster')).toHaveValue('east');
  });

  it('sorts by a column through the API', async () => {
    const api = fakeApi();
    await render(api);
    const list = await screen.findByRole('table', { name: 'Transfers' });
    await userEvent.click(
      within(list).getByRole('button', { name: /Requester/ }),
    );
    await waitFor(() =>
      expect(api.listTransfers).toHaveBeenLastCalledWith({
        sort: 'requester',
        order: 'asc',
        limit: 25,
      }),
    );
  });

  it('pages forward with the cursor the API gave and back to the page before', async () => {
    const api = fakeApi({
      listTransfers: jest.fn(async query =>
        query?.cursor
          ? { items: [rebind] }
          : { items: [copy], nextCursor: 'cursor-2' },
      ),
    });
    await render(api);
    await screen.findByRole('table', { name: 'Transfers' });
    expect(
      screen.getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();

    await userEvent.click(
      await screen.findByRole('button', { name: 'Next page' }),
    );
    await waitFor(() =>
      expect(api.listTransfers).toHaveBeenLastCalledWith({
        limit: 25,
        cursor: 'cursor-2',
      }),
    );
    expect(await screen.findByText('Page 2')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled(),
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    await waitFor(() =>
      expect(api.listTransfers).toHaveBeenLastCalledWith({ limit: 25 }),
    );
    expect(screen.getByText('Page 1')).toBeInTheDocument();
  });

  it('exports the filtered view as CSV and saves it under the name the backend gave', async () => {
    const api = fakeApi();
    const createObjectURL = jest.fn(() => 'blob:export-1');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const saved: { href: string; download: string }[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        saved.push({ href: this.href, download: this.download });
      });
    try {
      await render(api, '/?state=failed&cluster=east');
      await screen.findByRole('table', { name: 'Transfers' });
      await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));

      await waitFor(() => expect(saved).toHaveLength(1));
      expect(api.exportTransfers).toHaveBeenCalledWith({
        state: ['failed'],
        cluster: 'east',
      });
      expect(createObjectURL).toHaveBeenCalledWith(expect.any(Blob));
      expect(saved[0]).toEqual({
        href: 'blob:export-1',
        download: 'namespace-transfers-2026-12-05.csv',
      });
      expect(revokeObjectURL).toHaveBeenCalledWith('blob:export-1');
    } finally {
      click.mockRestore();
    }
  });

  it("shows the API's message when it refuses the list or the export", async () => {
    const api = fakeApi({
      listTransfers: jest.fn(async () => {
        throw await refusal(400, 'cluster must be a configured cluster');
      }),
      exportTransfers: jest.fn(async () => {
        throw await refusal(503, 'the database does not answer');
      }),
    });
    await render(api);
    expect(
      (await screen.findAllByText(/cluster must be a configured cluster/))[0],
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(
      await screen.findByText(
        /The export failed: the database does not answer/,
      ),
    ).toHaveAttribute('role', 'alert');
  });

  it('tells someone without the audit permission whose transfers they see, and draws no per-day charts', async () => {
    const api = fakeApi({ getCallerProfile: jest.fn(async () => member) });
    await render(api);
    expect(
      await screen.findByText('You see the transfers you are involved in.'),
    ).toBeInTheDocument();
    await screen.findByRole('table', { name: 'Transfers' });
    expect(screen.queryByRole('heading', { name: 'Per day' })).toBeNull();
    expect(api.getTransfersPerDay).not.toHaveBeenCalled();
    expect(api.getBytesPerDay).not.toHaveBeenCalled();
  });

  it('draws transfers and bytes per day for an auditor over the chosen period', async () => {
    const api = fakeApi();
    await render(api);
    expect(
      await screen.findByRole('heading', { name: 'Per day' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Every transfer in the portal.'),
    ).toBeInTheDocument();
    const perDay = await screen.findByRole('table', {
      name: 'Transfers per day figures',
    });
    expect(within(perDay).getAllByRole('row')[1]).toHaveTextContent(
      /2026-12-04\s*31\s*4/,
    );
    const bytes = screen.getByRole('table', { name: 'Bytes per day figures' });
    expect(within(bytes).getAllByRole('row')[1]).toHaveTextContent('3.0 GiB');
    const [{ from, to }] = lastCall(api.getTransfersPerDay);
    expect(Date.parse(to) - Date.parse(from)).toBe(30 * 86_400_000);

    await userEvent.click(screen.getByRole('button', { name: 'Last 7 days' }));
    await waitFor(() => {
      const [range] = lastCall(api.getBytesPerDay);
      expect(Date.parse(range.to) - Date.parse(range.from)).toBe(
        7 * 86_400_000,
      );
    });
    expect(screen.getByRole('button', { name: 'Last 7 days' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });
});
