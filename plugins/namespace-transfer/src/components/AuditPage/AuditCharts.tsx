import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { namespaceTransferApiRef } from '../../api';
import { BytesPerDayChart, DayRange, TransfersPerDayChart } from '../charts';
import { CHART_PERIODS, ChartPeriod } from './useAuditFilters';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The last `days` UTC days, today included: as the API's [from, to) and as the days the charts span. */
export function periodRange(
  days: number,
  now: Date,
): { from: string; to: string; days: DayRange } {
  const to =
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) +
    DAY_MS;
  const from = to - days * DAY_MS;
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    days: { first: day(from), last: day(to - DAY_MS) },
  };
}

export interface AuditChartsProps {
  period: ChartPeriod;
  onPeriodChange(period: ChartPeriod): void;
  /** changes when the page is refreshed */
  refreshKey: number;
}

/** Transfers and bytes moved per day over the chosen period, for the holders of the audit permission. */
export function AuditCharts({
  period,
  onPeriodChange,
  refreshKey,
}: AuditChartsProps) {
  const api = useApi(namespaceTransferApiRef);
  const { value, loading, error } = useAsyncRetry(async () => {
    const range = periodRange(period, new Date());
    const [transfers, bytes] = await Promise.all([
      api.getTransfersPerDay(range),
      api.getBytesPerDay(range),
    ]);
    return { range, transfers, bytes };
  }, [api, period, refreshKey]);

  return (
    <section aria-labelledby="audit-charts-title">
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        mb={1}
        style={{ gap: 8 }}
      >
        <Typography variant="h6" component="h2" id="audit-charts-title">
          Per day
        </Typography>
        <Box role="group" aria-label="Period" display="flex" style={{ gap: 4 }}>
          {CHART_PERIODS.map(days => (
            <Button
              key={days}
              size="small"
              variant={days === period ? 'contained' : 'outlined'}
              color="primary"
              aria-pressed={days === period}
              onClick={() => onPeriodChange(days)}
            >
              Last {days} days
            </Button>
          ))}
        </Box>
      </Box>
      {error && <ResponseErrorPanel error={error} />}
      {!error && loading && <Progress />}
      {!error && value && (
        <Grid container spacing={2}>
          <Grid item xs={12} lg={6}>
            <TransfersPerDayChart
              days={value.transfers.days}
              range={value.range.days}
            />
          </Grid>
          <Grid item xs={12} lg={6}>
            <BytesPerDayChart
              days={value.bytes.days}
              range={value.range.days}
            />
          </Grid>
        </Grid>
      )}
    </section>
  );
}
