import { useState } from 'react';
import {
  InfoCard,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { listQueryParams } from '@namespace-transfer/plugin-namespace-transfer-common';
import { useCallerProfile } from '../../hooks';
import { AuditCharts } from './AuditCharts';
import { AuditTransfers } from './AuditTransfers';
import { countFiltersOf, toggleState } from './auditFilters';
import { ExportCsvButton } from './ExportCsvButton';
import { FilterBar } from './FilterBar';
import { StateCounts } from './StateCounts';
import { useAuditFilters } from './useAuditFilters';

/** Whose transfers the list holds: the API decides, the page says so. */
function scopeOf(canAudit: boolean): string {
  return canAudit
    ? 'Every transfer in the portal.'
    : 'You see the transfers you are involved in.';
}

/**
 * The "Transfers" tab of the platform team's page: every transfer the caller may read (the API decides:
 * all of them for auditors and admins, their own for others), filtered, sorted and paged by the API, live,
 * counted by state, exported as CSV, and for auditors drawn per day.
 */
export function TransfersAuditContent() {
  const { filters, problems, setFilters, period, setPeriod } =
    useAuditFilters();
  const { profile, error: profileError } = useCallerProfile();
  const [refreshKey, setRefreshKey] = useState(0);
  // the form starts over from the URL when the filters change elsewhere (back button, a shared link)
  const formKey = listQueryParams(countFiltersOf(filters)).toString();

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 24 }}>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography variant="body2" color="textSecondary" style={{ flex: 1 }}>
          {profile && scopeOf(profile.canAudit)}
        </Typography>
        <Button variant="outlined" onClick={() => setRefreshKey(k => k + 1)}>
          Refresh
        </Button>
        <ExportCsvButton filters={filters} />
      </Box>
      {profileError && <ResponseErrorPanel error={profileError} />}
      {problems.length > 0 && (
        <WarningPanel
          severity="warning"
          title="Some filters in the address were left out"
          message={problems.join('; ')}
        />
      )}
      <InfoCard
        title="Transfers"
        subheader="filtered, sorted and paged by the API"
      >
        <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
          <StateCounts
            filters={filters}
            refreshKey={refreshKey}
            onToggle={state => setFilters(toggleState(filters, state))}
          />
          <FilterBar key={formKey} filters={filters} onApply={setFilters} />
          <AuditTransfers
            filters={filters}
            refreshKey={refreshKey}
            onSortChange={(sort, order) =>
              setFilters({ ...filters, sort, order })
            }
          />
        </Box>
      </InfoCard>
      {profile?.canAudit && (
        <AuditCharts
          period={period}
          onPeriodChange={setPeriod}
          refreshKey={refreshKey}
        />
      )}
    </Box>
  );
}
