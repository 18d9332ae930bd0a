import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { TransferLogEvent } from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatClock, formatDay, formatTime } from '../../lib/time';
import { EventLog } from './EventLog';

const event = (id: string, at: string): TransferLogEvent => ({
  id,
  transferId: 'tr-1',
  at,
  kind: 'phase',
  payload: { phase: `Phase-${id}` },
});

// three events, the last one a day after the first two (in any time zone the test runs in)
const events = [
  event('1', '2026-12-05T10:00:00.000Z'),
  event('2', '2026-12-05T10:00:04.000Z'),
  event('3', '2026-12-06T10:00:08.000Z'),
];

describe('EventLog', () => {
  it('shows each time of day, the day only where it changes, and the full time on hover', async () => {
    await renderInTestApp(<EventLog events={events} />);
    const rows = screen
      .getAllByRole('row')
      .filter(row => within(row).queryByText(/^Phase Phase-/));
    expect(rows).toHaveLength(3);
    const [first, second, third] = rows;

    expect(first).toHaveTextContent(formatDay(events[0].at));
    expect(within(first).getByText(formatClock(events[0].at))).toBeVisible();
    expect(second).not.toHaveTextContent(formatDay(events[1].at));
    expect(within(second).getByText(formatClock(events[1].at))).toBeVisible();
    expect(third).toHaveTextContent(formatDay(events[2].at));

    expect(
      within(second).getByTitle(formatTime(events[1].at)),
    ).toBeInTheDocument();
    expect(formatClock(events[0].at)).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  });
});
