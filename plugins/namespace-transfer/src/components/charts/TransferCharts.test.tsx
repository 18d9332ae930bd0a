import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { TransferCharts } from './TransferCharts';
import { logEvent, transferSummary } from './__testUtils__/transfers';

const MiB = 1024 * 1024;

describe('TransferCharts', () => {
  it('draws the throughput and the phases, with their figures in tables', async () => {
    const events = [
      logEvent(0, 'state', { from: 'approved', to: 'running', attempt: 1 }),
      logEvent(1, 'phase', { phase: 'Planning' }),
      logEvent(3, 'phase', { phase: 'Syncing' }),
      logEvent(5, 'progress', {
        bytesDone: 25 * MiB,
        bytesTotal: 100 * MiB,
        rateBytesPerSecond: 12.5 * MiB,
      }),
      logEvent(7, 'progress', {
        bytesDone: 50 * MiB,
        bytesTotal: 100 * MiB,
        rateBytesPerSecond: 12.5 * MiB,
      }),
      logEvent(9, 'phase', { phase: 'Verifying' }),
      logEvent(12, 'phase', { phase: 'Succeeded' }),
    ];
    const { container } = await renderInTestApp(
      <TransferCharts
        transfer={transferSummary({
          state: 'succeeded',
          finishedAt: '2026-12-05T10:00:12.000Z',
        })}
        events={events}
      />,
    );

    expect(screen.getByText('Throughput')).toBeInTheDocument();
    expect(screen.getByText('Phases')).toBeInTheDocument();
    expect(container.querySelectorAll('svg.recharts-surface')).toHaveLength(2);

    const throughput = screen.getByRole('table', {
      name: 'Throughput figures',
    });
    const rates = within(throughput).getAllByRole('row').slice(1);
    expect(rates).toHaveLength(2);
    expect(rates[0]).toHaveTextContent('12.5 MiB/s');
    expect(rates[0]).toHaveTextContent('25.0 MiB');
    expect(rates[0]).toHaveTextContent('25 %');
    expect(rates[1]).toHaveTextContent('50 %');

    const phases = within(
      screen.getByRole('table', { name: 'Phase figures' }),
    ).getAllByRole('row');
    expect(
      phases.slice(1).map(r => within(r).getAllByRole('cell')[0].textContent),
    ).toEqual(['Planning', 'Syncing', 'Verifying']);
    expect(phases[2]).toHaveTextContent('6 s');
    expect(phases[3]).toHaveTextContent('3 s');
  });

  it('says so when no progress and no phase came yet', async () => {
    const { container } = await renderInTestApp(
      <TransferCharts
        transfer={transferSummary({ state: 'approved', phase: undefined })}
        events={[
          logEvent(0, 'decision', {
            kind: 'approve',
            actor: 'user:default/bob',
          }),
        ]}
      />,
    );
    expect(screen.getByText('No progress reported yet.')).toBeInTheDocument();
    expect(screen.getByText('No phase started yet.')).toBeInTheDocument();
    expect(container.querySelector('svg.recharts-surface')).toBeNull();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows the phase a running transfer is in as not ended', async () => {
    await renderInTestApp(
      <TransferCharts
        transfer={transferSummary()}
        events={[
          logEvent(0, 'state', { from: 'approved', to: 'running', attempt: 1 }),
          logEvent(1, 'phase', { phase: 'Syncing' }),
        ]}
      />,
    );
    const syncing = within(
      screen.getByRole('table', { name: 'Phase figures' }),
    ).getAllByRole('row')[1];
    expect(syncing).toHaveTextContent('Syncing');
    expect(syncing).toHaveTextContent('still in it');
  });
});
