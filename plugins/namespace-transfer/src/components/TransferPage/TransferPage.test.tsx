import { act, configure, screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { TransferDetail } from '@namespace-transfer/plugin-namespace-transfer-common';
import { namespaceTransferApiRef } from '../../api';
import {
  fakeSignalApi,
  refusal,
  sampleEvent,
  sampleTransfer,
} from '../../lib/testing';
import { TransferPage } from './TransferPage';

const GiB = 1024 ** 3;

// the page loads its charts (recharts) lazily: slow on a busy test machine
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(30_000);

const running = sampleTransfer({
  id: 't1',
  state: 'running',
  phase: 'Syncing',
  comment: 'moving to the new cluster',
  approvedBy: ['user:default/bob'],
  startedAt: '2026-12-05T10:05:00.000Z',
  progress: {
    bytesDone: 1 * GiB,
    bytesTotal: 2 * GiB,
    rateBytesPerSecond: 100 * 1024 ** 2,
    etaSeconds: 10,
  },
  allowedActions: ['cancel'],
});

const detail: TransferDetail = {
  transfer: running,
  decisions: [
    {
      id: 'd1',
      transferId: 't1',
      kind: 'approve',
      actor: 'user:default/bob',
      comment: 'go ahead',
      ownership: {},
      decidedAt: '2026-12-05T10:04:00.000Z',
    },
  ],
};

const events = [
  sampleEvent('t1', 1, 'state', {
    from: 'approved',
    to: 'running',
    action: 'start',
    attempt: 1,
  }),
  sampleEvent('t1', 2, 'phase', { phase: 'Syncing' }),
  sampleEvent('t1', 3, 'warning', { message: 'the lease of w1 expired' }),
];

function renderPage(getTransfer: jest.Mock) {
  const signals = fakeSignalApi();
  const api = {
    getTransfer,
    getTransferEvents: jest.fn(async () => ({ events })),
  };
  const rendered = renderInTestApp(
    <TestApiProvider
      apis={[
        [namespaceTransferApiRef, api],
        [signalApiRef, signals],
      ]}
    >
      <TransferPage id="t1" />
    </TestApiProvider>,
  );
  return { api, signals, rendered };
}

describe('TransferPage', () => {
  it('shows progress while loading', async () => {
    const { rendered } = renderPage(jest.fn(() => new Promise(() => {})));
    await rendered;
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('says there is no such transfer on a 404', async () => {
    const notFound = await refusal(404, "Transfer 't1' not found");
    await renderPage(jest.fn().mockRejectedValue(notFound)).rendered;
    expect(await screen.findByText('No such transfer')).toBeInTheDocument();
  });

  it('says the caller may not see it on a 403, with the reason', async () => {
    const forbidden = await refusal(403, 'Only its owners may read it');
    await renderPage(jest.fn().mockRejectedValue(forbidden)).rendered;
    expect(
      await screen.findByText('You may not see this transfer'),
    ).toBeInTheDocument();
    expect(screen.getByText('Only its owners may read it')).toBeInTheDocument();
  });

  it("shows another failure with the backend's message", async () => {
    const broken = await refusal(500, 'database unavailable');
    await renderPage(jest.fn().mockRejectedValue(broken)).rendered;
    expect(
      await screen.findByText('database unavailable', { selector: 'p' }),
    ).toBeInTheDocument();
  });

  it('shows a running transfer: state, progress, plan, decisions, log and its actions', async () => {
    await renderPage(jest.fn(async () => detail)).rendered;

    expect(
      await screen.findByText('east/payments/data → west/orders/data-copy'),
    ).toBeInTheDocument();
    expect(screen.getByText('Running')).toBeInTheDocument();
    expect(screen.getByText('Phase: Syncing')).toBeInTheDocument();
    expect(screen.getByText('moving to the new cluster')).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', { name: 'Transfer progress' }),
    ).toHaveAttribute('aria-valuenow', '50');
    expect(
      screen.getByText(/the claims are on different clusters/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Deployment payments/api (2 replicas)'),
    ).toBeInTheDocument();
    expect(screen.getByText(/go ahead/)).toBeInTheDocument();
    expect(screen.getByText('Approved → Running (start)')).toBeInTheDocument();
    expect(screen.getByText('the lease of w1 expired')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Cancel transfer' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
  });

  it('marks a transfer requested through the Kubernetes API and offers no action on it', async () => {
    const viaKubernetes = sampleTransfer({
      id: 't1',
      state: 'running',
      phase: 'Rebinding',
      requester: 'kubernetes:orders/move-data',
      requestedVia: 'kubernetes',
      kubernetesRequest: {
        cluster: 'east',
        namespace: 'orders',
        name: 'move-data',
      },
      approvedBy: ['kubernetes:payments/allow-data'],
      startedAt: '2026-12-05T10:05:00.000Z',
      allowedActions: [],
    });
    await renderPage(
      jest.fn(async () => ({ transfer: viaKubernetes, decisions: [] })),
    ).rendered;
    expect(await screen.findByText('via Kubernetes API')).toBeInTheDocument();
    expect(screen.getByText('orders/move-data')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Cancel transfer' }),
    ).not.toBeInTheDocument();
    // no plan was made before it ran: the page does not claim that nothing stops
    expect(screen.queryByText('Nothing is stopped')).not.toBeInTheDocument();
    expect(
      screen.getByText(/found by the KEP controller when it runs/),
    ).toBeInTheDocument();
  });

  it('changes the phase on screen from a signal, without reading the transfer again', async () => {
    const getTransfer = jest.fn(async () => detail);
    const { signals, api, rendered } = renderPage(getTransfer);
    await rendered;
    expect(await screen.findByText('Phase: Syncing')).toBeInTheDocument();

    act(() =>
      signals.send({
        id: 't1',
        phase: 'Verifying',
        progress: { bytesDone: 2 * GiB, bytesTotal: 2 * GiB },
      }),
    );

    expect(await screen.findByText('Phase: Verifying')).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', { name: 'Transfer progress' }),
    ).toHaveAttribute('aria-valuenow', '100');
    expect(getTransfer).toHaveBeenCalledTimes(1);
    expect(api.getTransferEvents).toHaveBeenCalledTimes(2);
  });

  it('reads the transfer again once when its state changes', async () => {
    const getTransfer = jest.fn(async () => detail);
    const { signals, rendered } = renderPage(getTransfer);
    await rendered;
    await screen.findByText('Phase: Syncing');
    getTransfer.mockResolvedValue({
      transfer: {
        ...running,
        state: 'succeeded',
        phase: 'Succeeded',
        allowedActions: [],
      },
      decisions: detail.decisions,
    });

    act(() => signals.send({ id: 't1', state: 'succeeded' }));

    expect(await screen.findByText('Succeeded')).toBeInTheDocument();
    const summary = screen.getByText('Phase: Succeeded').closest('div')!;
    expect(within(summary).getByText('Succeeded')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Cancel transfer' }),
    ).not.toBeInTheDocument();
    expect(getTransfer).toHaveBeenCalledTimes(2);
  });
});
