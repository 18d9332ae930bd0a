import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDuration } from '../../lib/format';
import type { PhaseSpan } from '../../lib/eventSeries';
import { ChartCard } from './ChartCard';
import { clockTime, dateTime } from './chartTime';
import type { Figures } from './FiguresTable';

// a row per phase: tall enough for its label, and never less than a chart's usual height
const ROW_HEIGHT = 28;
const MIN_HEIGHT = 160;

export interface PhaseTimelineProps {
  spans: PhaseSpan[];
  /** where the phase the run is in ends on the axis */
  now: number;
}

// a roll back is the run undoing itself: it stands out from the phases that move the data forward
const PHASE_COLOR = '#1f6fb5';
const ROLLBACK_COLOR = '#c62828';

interface Row {
  /** unique per bar: a phase may come twice (a retry, a resume) */
  key: string;
  label: string;
  range: [number, number];
  color: string;
}

function labelOf(span: PhaseSpan, attempts: number): string {
  return attempts > 1 ? `${span.phase} (attempt ${span.attempt})` : span.phase;
}

function figuresOf(spans: PhaseSpan[], attempts: number): Figures {
  return {
    caption: 'Phase figures',
    columns: ['Phase', 'Started', 'Ended', 'Duration'],
    rows: spans.map(s => [
      labelOf(s, attempts),
      dateTime(s.start),
      s.end === undefined ? 'still in it' : dateTime(s.end),
      formatDuration(s.durationMs),
    ]),
  };
}

/** The phases of the runs as horizontal bars on a time axis. */
export function PhaseTimeline({ spans, now }: PhaseTimelineProps) {
  const attempts = new Set(spans.map(s => s.attempt)).size;
  const rows: Row[] = spans.map((s, i) => ({
    key: String(i),
    label: labelOf(s, attempts),
    range: [s.start, s.end ?? Math.max(s.start, now)],
    color: s.phase === 'RollingBack' ? ROLLBACK_COLOR : PHASE_COLOR,
  }));
  const labelOfKey = (key: unknown) => rows[Number(key)]?.label ?? '';
  const height = Math.max(MIN_HEIGHT, rows.length * ROW_HEIGHT + 48);
  return (
    <ChartCard
      title="Phases"
      subtitle="how long each phase of the run took"
      emptyText="No phase started yet."
      figures={figuresOf(spans, attempts)}
      height={height}
    >
      <BarChart
        accessibilityLayer={false}
        data={rows}
        layout="vertical"
        margin={{ top: 8, right: 16, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis
          type="number"
          scale="time"
          domain={['dataMin', 'dataMax']}
          tickFormatter={clockTime}
        />
        <YAxis
          type="category"
          dataKey="key"
          width={150}
          tickFormatter={labelOfKey}
        />
        <Tooltip
          labelFormatter={labelOfKey}
          formatter={value => {
            const [start, end] = value as unknown as [number, number];
            return [
              `${clockTime(start)} – ${clockTime(end)} (${formatDuration(end - start)})`,
              'Time',
            ];
          }}
        />
        <Bar dataKey="range" isAnimationActive={false}>
          {rows.map(row => (
            <Cell key={row.key} fill={row.color} />
          ))}
        </Bar>
      </BarChart>
    </ChartCard>
  );
}
