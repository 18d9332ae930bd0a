import {
  Area,
  AreaChart,
  CartesianGrid,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatBytes, formatRate, percentOf } from '../../lib/format';
import type { ThroughputSample } from '../../lib/eventSeries';
import { ChartCard } from './ChartCard';
import { clockTime, dateTime } from './chartTime';
import type { Figures } from './FiguresTable';

export interface ThroughputChartProps {
  samples: ThroughputSample[];
  /** the size of the data, when the mover knows it: the table then shows a percentage */
  bytesTotal?: number;
}

function figuresOf(
  samples: ThroughputSample[],
  bytesTotal: number | undefined,
): Figures {
  return {
    caption: 'Throughput figures',
    columns: ['Time', 'Rate', 'Transferred', 'Done'],
    rows: samples.map(s => {
      const percent = percentOf(s.bytesDone, bytesTotal);
      return [
        dateTime(s.at),
        formatRate(s.bytesPerSecond),
        formatBytes(s.bytesDone),
        percent === undefined ? '–' : `${percent} %`,
      ];
    }),
  };
}

/** Bytes per second over the run, from its progress samples. */
export function ThroughputChart({ samples, bytesTotal }: ThroughputChartProps) {
  return (
    <ChartCard
      title="Throughput"
      subtitle="bytes per second while the data moved"
      emptyText="No progress reported yet."
      figures={figuresOf(samples, bytesTotal)}
    >
      <AreaChart
        accessibilityLayer={false}
        data={samples}
        margin={{ top: 8, right: 16, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="at"
          type="number"
          scale="time"
          domain={['dataMin', 'dataMax']}
          tickFormatter={clockTime}
        />
        <YAxis tickFormatter={formatRate} width={88} />
        <Tooltip
          labelFormatter={label => dateTime(Number(label))}
          formatter={value => [formatRate(Number(value)), 'Rate']}
        />
        <Area
          type="monotone"
          dataKey="bytesPerSecond"
          name="Rate"
          stroke="#1f6fb5"
          fill="#7fb3e0"
          isAnimationActive={false}
        />
      </AreaChart>
    </ChartCard>
  );
}
