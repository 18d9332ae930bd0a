import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  TRANSFER_STATES,
  type TransferState,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { namespaceTransferApiRef } from '../../api';
import { useCoalescedRead, useTransferSignals } from '../../hooks';
import { errorMessage } from '../../lib/errors';
import { TRANSFER_STATE_LABELS } from '../shared';
import { AuditFilters, countFiltersOf } from './auditFilters';

export interface StateCountsProps {
  filters: AuditFilters;
  /** a state's button was pressed: show only it (with the other chosen ones), or no longer */
  onToggle(state: TransferState): void;
  /** changes when the page is refreshed */
  refreshKey: number;
}

/**
 * How many transfers matching the other filters are in each state, as toggle buttons that filter the list
 * by state. A state change anywhere counts again (a signal; a burst of them costs at most one more count
 * after the one under way); progress does not change a count.
 */
export function StateCounts({
  filters,
  onToggle,
  refreshKey,
}: StateCountsProps) {
  const api = useApi(namespaceTransferApiRef);
  const query = countFiltersOf(filters);
  const key = JSON.stringify(query);
  const { value, loading, error, reread } = useCoalescedRead(
    () => api.getStateCounts(query),
    // the query is rebuilt on every render: its serialization stands for it
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, refreshKey],
  );
  useTransferSignals(signal => {
    if (signal.state) reread();
  });
  const chosen = filters.state ?? [];

  if (error) {
    return (
      <Typography role="alert" color="error" variant="body2">
        Could not count the transfers by state: {errorMessage(error)}
      </Typography>
    );
  }
  if (!value) return loading ? <Progress /> : null;
  return (
    <Box
      role="group"
      aria-label="Transfers by state"
      display="flex"
      flexWrap="wrap"
      style={{ gap: 8 }}
    >
      {TRANSFER_STATES.map(state => {
        const pressed = chosen.includes(state);
        return (
          <Button
            key={state}
            size="small"
            color="primary"
            variant={pressed ? 'contained' : 'outlined'}
            aria-pressed={pressed}
            onClick={() => onToggle(state)}
          >
            {TRANSFER_STATE_LABELS[state]}: {value.counts[state] ?? 0}
          </Button>
        );
      })}
    </Box>
  );
}
