import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  AuditFilters,
  filtersFromParams,
  paramsWithFilters,
} from './auditFilters';

/** How many days the per-day charts span; the choice is kept in the URL as `days`. */
export const CHART_PERIODS = [7, 30, 90] as const;
export type ChartPeriod = (typeof CHART_PERIODS)[number];
const DEFAULT_PERIOD: ChartPeriod = 30;

function periodOf(value: string | null): ChartPeriod {
  const days = Number(value);
  return CHART_PERIODS.find(p => p === days) ?? DEFAULT_PERIOD;
}

/** The audit view's filters and chart period, read from and written to the URL query. */
export function useAuditFilters() {
  const [params, setParams] = useSearchParams();
  const { filters, problems } = useMemo(
    () => filtersFromParams(params),
    [params],
  );
  const setFilters = useCallback(
    (next: AuditFilters) =>
      setParams(current => paramsWithFilters(current, next)),
    [setParams],
  );
  const period = periodOf(params.get('days'));
  const setPeriod = useCallback(
    (days: ChartPeriod) =>
      setParams(current => {
        const next = new URLSearchParams(current);
        next.set('days', String(days));
        return next;
      }),
    [setParams],
  );
  return { filters, problems, setFilters, period, setPeriod };
}
