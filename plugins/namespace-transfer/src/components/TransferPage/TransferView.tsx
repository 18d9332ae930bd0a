import { lazy, Suspense } from 'react';
import { Progress } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import {
  TransferDetail,
  TransferLogEvent,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { DecisionsCard } from './DecisionsCard';
import { EventLog } from './EventLog';
import { PlanCard } from './PlanCard';
import { TransferSummaryCard } from './TransferSummaryCard';

// recharts is the heaviest dependency of the plugin: fetched only when a transfer's page shows
const TransferCharts = lazy(() =>
  import('../charts').then(m => ({ default: m.TransferCharts })),
);

/** A transfer's whole story: where it stands, the plan, decisions, pictures and its log. */
export function TransferView(props: {
  detail: TransferDetail;
  events: TransferLogEvent[];
  onDecided(transfer: TransferSummary): void;
}) {
  const { detail, events, onDecided } = props;
  const { transfer } = detail;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <TransferSummaryCard transfer={transfer} onDecided={onDecided} />
      </Grid>
      <Grid item xs={12} md={6}>
        <PlanCard plan={transfer.plan} requestedVia={transfer.requestedVia} />
      </Grid>
      <Grid item xs={12}>
        <DecisionsCard decisions={detail.decisions} />
      </Grid>
      <Grid item xs={12}>
        <Suspense fallback={<Progress />}>
          <TransferCharts transfer={transfer} events={events} />
        </Suspense>
      </Grid>
      <Grid item xs={12}>
        <EventLog events={events} />
      </Grid>
    </Grid>
  );
}
