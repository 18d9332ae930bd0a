import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import type { BytesMovedOnDay } from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatBytes } from '../../lib/format';
import { ChartCard } from './ChartCard';
import { DayRange, fillDays } from './dayRange';
import type { Figures } from './FiguresTable';

export interface BytesPerDayChartProps {
  /** as `GET /stats/bytes-per-day` answers: only the days on which something finished */
  days: BytesMovedOnDay[];
  /** the days the chart spans, quiet ones included */
  range?: DayRange;
}

function figuresOf(days: BytesMovedOnDay[]): Figures {
  return {
    caption: 'Bytes per day figures',
    columns: ['Day', 'Bytes moved', 'Transfers'],
    rows: days.map(d => [d.day, formatBytes(d.bytes), String(d.transfers)]),
  };
}

/** The bytes that the attempts which finished each day moved. */
export function BytesPerDayChart({ days, range }: BytesPerDayChartProps) {
  const data = fillDays(days, range, day => ({ day, bytes: 0, transfers: 0 }));
  return (
    <ChartCard
      title="Bytes moved per day"
      subtitle="by the attempts that finished that day (UTC days)"
      emptyText="No data moved in this period."
      figures={figuresOf(days)}
    >
      <BarChart
        accessibilityLayer={false}
        data={data}
        margin={{ top: 8, right: 16, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" minTickGap={16} />
        <YAxis tickFormatter={formatBytes} width={72} />
        <Tooltip formatter={value => [formatBytes(Number(value)), 'Moved']} />
        <Bar
          dataKey="bytes"
          name="Moved"
          fill="#2e7d32"
          isAnimationActive={false}
        />
      </BarChart>
    </ChartCard>
  );
}
