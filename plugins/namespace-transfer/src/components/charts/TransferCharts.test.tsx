import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { TransferCharts } from './TransferCharts';
import { sampleEvent, sampleTransfer } from '../../lib/testing';

const MiB = 1024 * 1024;

// the first render of a chart loads recharts and the theme: slow on a busy machine
jest.setTimeout(30_000);

describe('TransferCharts', () => {
  it('draws the throughput and the phases, with their figures in tables', async () => {
    const events = [
      sampleEvent('tr-1', 0, 'state', {
        from: 'approved',
        to: 'running',
        attempt: 1,
      }),
      sampleEvent('tr-1', 1, 'phase', { phase: 'Planning' }),
      sampleEvent('tr-1', 3, 'phase', { phase: 'Syncing' }),
      sampleEvent('tr-1', 5, 'progress', {
        bytesDone: 25 * MiB,
        bytesTotal: 100 * MiB,
        rateBytesPerSecond: 12.5 * MiB,
      }),
      sampleEvent('tr-1', 7, 'progress', {
        bytesDone: 50 * MiB,
        bytesTotal: 100 * MiB,
        rateBytesPerSecond: 12.5 * MiB,
      }),
      sampleEvent('tr-1', 9, 'phase', { phase: 'Verifying' }),
      sampleEvent('tr-1', 12, 'phase', { phase: 'Succeeded' }),
    ];
    const { container } = await renderInTestApp(
      <TransferCharts
        transfer={sampleTransfer({
          id: 'tr-1',
          state: 'succeeded',
          progress: { bytesDone: 50 * MiB, bytesTotal: 100 * MiB },
          finishedAt: '2026-12-05T10:00:12.000Z',
        })}
        events={events}
      />,
    );

    expect(screen.getByText('Throughput')).toBeInTheDocument();
    expect(screen.getByText('Phases')).toBeInTheDocument();
    expect(container.querySelectorAll('svg.recharts-surface')).toHaveLength(2);
    // hidden from assistive technology, so nothing in it may be in the tab order
    expect(
      container.querySelector(
        '[aria-hidden="true"] [tabindex]:not([tabindex="-1"])',
      ),
    ).toBeNull();

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
        transfer={sampleTransfer({ id: 'tr-1', state: 'approved' })}
        events={[
          sampleEvent('tr-1', 0, 'decision', {
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
        transfer={sampleTransfer({
          id: 'tr-1',
          state: 'running',
          phase: 'Syncing',
        })}
        events={[
          sampleEvent('tr-1', 0, 'state', {
            from: 'approved',
            to: 'running',
            attempt: 1,
          }),
          sampleEvent('tr-1', 1, 'phase', { phase: 'Syncing' }),
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
