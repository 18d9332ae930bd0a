import { configure, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { namespaceTransferApiRef } from '../../api';
import { sampleTransfer } from '../../lib/testing';
import { rootRouteRef } from '../../routes';
import { formatTime } from '../EntityVolumesContent/formatTime';
import { TransfersTable, TransfersTableProps } from './TransfersTable';

const running = sampleTransfer({
  id: 'tr-1',
  state: 'running',
  phase: 'Syncing',
  attempt: 2,
  requester: 'user:default/bob',
  updatedAt: '2026-12-05T10:30:00.000Z',
});
const succeeded = sampleTransfer({
  id: 'tr-2',
  state: 'succeeded',
  phase: 'Succeeded',
  downtimeMs: 95_000,
  source: {
    cluster: 'east',
    namespace: 'orders',
    claim: 'cache',
    entityRef: 'component:default/orders-db',
  },
});

const render = (props: Partial<TransfersTableProps>) =>
  renderInTestApp(
    <TestApiProvider apis={[[namespaceTransferApiRef, {}]]}>
      <TransfersTable title="Transfers" transfers={[]} {...props} />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/namespace-transfer': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );

const rows = () =>
  within(screen.getByRole('table', { name: 'Transfers' }))
    .getAllByRole('row')
    .slice(1);

// tables and dialogs rendered on a shared machine
jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 15_000 });

describe('TransfersTable', () => {
  it('shows each transfer with where from and to, phase, requester, attempt, downtime and a link to its page', async () => {
    await render({ transfers: [running, succeeded] });
    const [first, second] = rows();

    expect(first).toHaveTextContent(
      'east/payments/data → west/orders/data-copy',
    );
    expect(first).toHaveTextContent('clone · copy');
    expect(first).toHaveTextContent('Syncing');
    expect(first).toHaveTextContent('bob');
    // the state cell names the phase and a retry's attempt (no columns of their own by default)
    expect(within(first).getAllByRole('cell')[1]).toHaveTextContent(
      'Syncing · attempt 2',
    );
    // not run yet as far as downtime goes: the plan's estimate, marked as one
    expect(first).toHaveTextContent('~20 s');
    expect(
      within(first)
        .getAllByRole('link')
        .some(link =>
          link
            .getAttribute('href')
            ?.endsWith('/namespace-transfer/transfers/tr-1'),
        ),
    ).toBe(true);

    expect(second).toHaveTextContent('east/orders/cache');
    expect(second).toHaveTextContent('1 min 35 s');
    expect(second).not.toHaveTextContent('~');
  });

  it('marks a transfer requested through the Kubernetes API, naming its request instead of a user', async () => {
    const viaKubernetes = sampleTransfer({
      id: 'tr-3',
      state: 'succeeded',
      requester: 'kubernetes:orders/move-data',
      requestedVia: 'kubernetes',
      kubernetesRequest: {
        cluster: 'east',
        namespace: 'orders',
        name: 'move-data',
      },
      allowedActions: [],
    });
    await render({ transfers: [viaKubernetes, running] });
    const [first, second] = rows();
    expect(first).toHaveTextContent('orders/move-data');
    expect(within(first).getByText('via Kubernetes API')).toBeInTheDocument();
    expect(second).toHaveTextContent('bob');
    expect(
      within(second).queryByText('via Kubernetes API'),
    ).not.toBeInTheDocument();
  });

  it('says why a transfer failed, that a cancel rolls it back, and when it cuts over or expires', async () => {
    await render({
      columns: ['transfer', 'state'],
      transfers: [
        sampleTransfer({
          id: 'tr-f',
          state: 'failed',
          error: 'rsync exited with code 23 (some files could not be read)',
        }),
        sampleTransfer({ id: 'tr-c', state: 'running', cancelRequested: true }),
        sampleTransfer({
          id: 'tr-s',
          state: 'staged',
          cutoverAt: '2026-12-06T02:00:00.000Z',
        }),
        sampleTransfer({ id: 'tr-p', expiresAt: '2026-12-12T10:00:00.000Z' }),
      ],
    });
    const [failed, cancelling, staged, pending] = rows();
    expect(failed).toHaveTextContent('Failed');
    expect(failed).toHaveTextContent('rsync exited with code 23');
    expect(cancelling).toHaveTextContent('Running');
    expect(cancelling).toHaveTextContent('Cancel asked: rolling back');
    expect(staged).toHaveTextContent(
      `Cuts over ${formatTime('2026-12-06T02:00:00.000Z')}`,
    );
    expect(pending).toHaveTextContent(
      `Expires ${formatTime('2026-12-12T10:00:00.000Z')}`,
    );
  });

  it('shows only the columns asked for', async () => {
    await render({
      transfers: [running],
      columns: ['transfer', 'plan', 'comment'],
    });
    const headers = within(screen.getByRole('table'))
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual(['Transfer', 'Plan', 'Comment']);
    expect(rows()[0]).toHaveTextContent(
      'copy: the claims are on different clusters, so the data is copied',
    );
    expect(rows()[0]).toHaveTextContent(
      'Estimated 5 min, downtime 20 s (stops Deployment api)',
    );
  });

  it('lists the refusals of a plan', async () => {
    const refused = sampleTransfer({ id: 'tr-3' });
    refused.plan = {
      ...refused.plan,
      allowed: false,
      refusals: [{ code: 'QuotaExceeded', message: 'quota storage is full' }],
    };
    await render({ transfers: [refused], columns: ['transfer', 'plan'] });
    expect(rows()[0]).toHaveTextContent(
      'Refused (QuotaExceeded): quota storage is full',
    );
  });

  it('asks the API for another order when a sortable header is pressed, and toggles the active one', async () => {
    const onSortChange = jest.fn();
    await render({
      transfers: [running],
      sort: { field: 'updatedAt', order: 'desc' },
      onSortChange,
    });
    // phase and progress cannot be sorted by the API: no button
    expect(screen.queryByRole('button', { name: 'Phase' })).toBeNull();
    expect(
      screen.getByRole('columnheader', { name: /Updated/ }),
    ).toHaveAttribute('aria-sort', 'descending');

    await userEvent.click(screen.getByRole('button', { name: /Updated/ }));
    expect(onSortChange).toHaveBeenLastCalledWith('updatedAt', 'asc');
    await userEvent.click(screen.getByRole('button', { name: /State/ }));
    expect(onSortChange).toHaveBeenLastCalledWith('state', 'asc');
    await userEvent.click(screen.getByRole('button', { name: /Requester/ }));
    expect(onSortChange).toHaveBeenLastCalledWith('requester', 'asc');
  });

  it('has no sort buttons when the caller does not sort', async () => {
    await render({ transfers: [running] });
    expect(screen.getByRole('table')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /State/ })).toBeNull();
  });

  it('shows the empty content when there are no transfers', async () => {
    await render({ emptyContent: 'Nothing moved yet.' });
    expect(screen.getByText('Nothing moved yet.')).toBeInTheDocument();
  });

  it('shows progress instead of rows while the first page loads', async () => {
    await render({ loading: true, emptyContent: 'Nothing moved yet.' });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByText('Nothing moved yet.')).toBeNull();
  });
});
