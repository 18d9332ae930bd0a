import { useMemo } from 'react';
import Grid from '@material-ui/core/Grid';
import type {
  TransferLogEvent,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { phaseSpans, throughputSamples } from '../../lib/eventSeries';
import { PhaseTimeline } from './PhaseTimeline';
import { ThroughputChart } from './ThroughputChart';

export interface TransferChartsProps {
  transfer: TransferSummary;
  /** the transfer's event log as read so far, oldest first */
  events: TransferLogEvent[];
}

/** A transfer's throughput over time and its phase timeline, side by side (stacked on a narrow window). */
export function TransferCharts({ transfer, events }: TransferChartsProps) {
  // an ended attempt's last phase ends with it; a live one's runs to the moment of this render
  const now = transfer.finishedAt
    ? Date.parse(transfer.finishedAt)
    : Date.now();
  const samples = useMemo(() => throughputSamples(events), [events]);
  const spans = useMemo(() => phaseSpans(events, now), [events, now]);
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6}>
        <ThroughputChart
          samples={samples}
          bytesTotal={transfer.progress.bytesTotal}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <PhaseTimeline spans={spans} now={now} />
      </Grid>
    </Grid>
  );
}
