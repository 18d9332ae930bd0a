import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { BytesPerDayChart } from './BytesPerDayChart';
import { TransfersPerDayChart } from './TransfersPerDayChart';
import { daysOf, fillDays } from './dayRange';

const GiB = 1024 * 1024 * 1024;

function bodyRows(name: string) {
  return within(screen.getByRole('table', { name }))
    .getAllByRole('row')
    .slice(1)
    .map(row =>
      within(row)
        .getAllByRole('cell')
        .map(c => c.textContent),
    );
}

// the first render of a chart loads recharts and the theme: slow on a busy machine
jest.setTimeout(30_000);

describe('TransfersPerDayChart', () => {
  it('stacks the states of each day and lists them with a total', async () => {
    const { container } = await renderInTestApp(
      <TransfersPerDayChart
        days={[
          { day: '2026-12-01', counts: { succeeded: 3, failed: 1 } },
          { day: '2026-12-03', counts: { succeeded: 1, rejected: 2 } },
        ]}
        range={{ first: '2026-11-29', last: '2026-12-05' }}
      />,
    );
    expect(screen.getByText('Transfers per day')).toBeInTheDocument();
    expect(container.querySelector('svg.recharts-surface')).not.toBeNull();
    expect(
      container.querySelector(
        '[aria-hidden="true"] [tabindex]:not([tabindex="-1"])',
      ),
    ).toBeNull();
    const header = within(
      screen.getByRole('table', { name: 'Transfers per day figures' }),
    ).getAllByRole('columnheader');
    expect(header.map(h => h.textContent)).toEqual([
      'Day',
      'Succeeded',
      'Failed',
      'Rejected',
      'Total',
    ]);
    expect(bodyRows('Transfers per day figures')).toEqual([
      ['2026-12-01', '3', '1', '0', '4'],
      ['2026-12-03', '1', '0', '2', '3'],
    ]);
  });

  it('says so when nothing happened in the period', async () => {
    const { container } = await renderInTestApp(
      <TransfersPerDayChart days={[]} />,
    );
    expect(screen.getByText('No transfer in this period.')).toBeInTheDocument();
    expect(container.querySelector('svg.recharts-surface')).toBeNull();
  });
});

describe('BytesPerDayChart', () => {
  it('draws the bytes moved per day and lists them', async () => {
    const { container } = await renderInTestApp(
      <BytesPerDayChart
        days={[
          { day: '2026-12-02', bytes: 1.5 * GiB, transfers: 2 },
          { day: '2026-12-04', bytes: 300 * 1024 * 1024, transfers: 1 },
        ]}
      />,
    );
    expect(screen.getByText('Bytes moved per day')).toBeInTheDocument();
    expect(container.querySelector('svg.recharts-surface')).not.toBeNull();
    expect(bodyRows('Bytes per day figures')).toEqual([
      ['2026-12-02', '1.5 GiB', '2'],
      ['2026-12-04', '300 MiB', '1'],
    ]);
  });

  it('says so when nothing moved in the period', async () => {
    await renderInTestApp(<BytesPerDayChart days={[]} />);
    expect(
      screen.getByText('No data moved in this period.'),
    ).toBeInTheDocument();
  });
});

describe('fillDays', () => {
  it('adds the quiet days of the range in order', () => {
    expect(daysOf({ first: '2026-02-27', last: '2026-03-02' })).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(
      fillDays(
        [{ day: '2026-03-01', n: 4 }],
        { first: '2026-02-28', last: '2026-03-02' },
        day => ({ day, n: 0 }),
      ),
    ).toEqual([
      { day: '2026-02-28', n: 0 },
      { day: '2026-03-01', n: 4 },
      { day: '2026-03-02', n: 0 },
    ]);
  });
});
