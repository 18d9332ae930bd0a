import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  TRANSFER_STATES,
  type TransferState,
  type TransfersOnDay,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { TRANSFER_STATE_LABELS } from '../shared';
import { ChartCard } from './ChartCard';
import { DayRange, fillDays } from './dayRange';
import type { Figures } from './FiguresTable';
import { STATE_COLORS } from './stateColors';

export interface TransfersPerDayChartProps {
  /** as `GET /stats/transfers-per-day` answers: only the days with a transfer */
  days: TransfersOnDay[];
  /** the days the chart spans, quiet ones included */
  range?: DayRange;
}

function statesIn(days: TransfersOnDay[]): TransferState[] {
  return TRANSFER_STATES.filter(state =>
    days.some(d => (d.counts[state] ?? 0) > 0),
  );
}

function totalOf(day: TransfersOnDay): number {
  return Object.values(day.counts).reduce((sum, n) => sum + (n ?? 0), 0);
}

function figuresOf(days: TransfersOnDay[], states: TransferState[]): Figures {
  return {
    caption: 'Transfers per day figures',
    columns: ['Day', ...states.map(s => TRANSFER_STATE_LABELS[s]), 'Total'],
    rows: days.map(d => [
      d.day,
      ...states.map(s => String(d.counts[s] ?? 0)),
      String(totalOf(d)),
    ]),
  };
}

/** How many transfers ended (or were decided) each day, stacked by the state they reached. */
export function TransfersPerDayChart({
  days,
  range,
}: TransfersPerDayChartProps) {
  const states = statesIn(days);
  const data = fillDays(days, range, day => ({ day, counts: {} })).map(d => ({
    day: d.day,
    ...d.counts,
  }));
  return (
    <ChartCard
      title="Transfers per day"
      subtitle="by the state they reached (UTC days)"
      emptyText="No transfer in this period."
      figures={figuresOf(days, states)}
    >
      <BarChart
        accessibilityLayer={false}
        data={data}
        margin={{ top: 8, right: 16, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" minTickGap={16} />
        <YAxis allowDecimals={false} width={40} />
        <Tooltip />
        <Legend />
        {states.map(state => (
          <Bar
            key={state}
            dataKey={state}
            name={TRANSFER_STATE_LABELS[state]}
            stackId="states"
            fill={STATE_COLORS[state]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartCard>
  );
}
