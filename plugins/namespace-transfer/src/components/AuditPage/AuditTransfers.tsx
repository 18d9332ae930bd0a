import { useState } from 'react';
import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { listQueryParams } from '@namespace-transfer/plugin-namespace-transfer-common';
import { namespaceTransferApiRef } from '../../api';
import { useTransferList } from '../../hooks';
import {
  TransferSortField,
  TransferSortOrder,
  TransfersTable,
} from '../Transfers';
import { AuditFilters } from './auditFilters';

export const AUDIT_PAGE_SIZE = 25;

/** what fits 1280 px: the state cell names the phase and a retry's attempt; the CSV has every field */
const COLUMNS = [
  'transfer' as const,
  'state' as const,
  'progress' as const,
  'requester' as const,
  'downtime' as const,
  'created' as const,
  'actions' as const,
];

export interface AuditTransfersProps {
  filters: AuditFilters;
  onSortChange(field: TransferSortField, order: TransferSortOrder): void;
  /** changes when the page is refreshed */
  refreshKey: number;
}

/**
 * One page of the transfers matching the filters, live, with the API's cursors for "Next page" and the
 * cursors already followed for "Previous page" (a cursor API cannot go back on its own). New filters start
 * at the first page again.
 */
export function AuditTransfers({
  filters,
  onSortChange,
  refreshKey,
}: AuditTransfersProps) {
  const api = useApi(namespaceTransferApiRef);
  const filterKey = listQueryParams(filters).toString();
  // the cursor of each page after the first that was followed, for these filters
  const [trail, setTrail] = useState({ filterKey, cursors: [] as string[] });
  const cursors = trail.filterKey === filterKey ? trail.cursors : [];
  const pageCursor = cursors[cursors.length - 1];
  const pageKey = `${filterKey}#${pageCursor ?? ''}`;
  const [next, setNext] = useState<{ pageKey: string; cursor?: string }>();

  const states = filters.state;
  const list = useTransferList(
    async () => {
      const page = await api.listTransfers({
        ...filters,
        limit: AUDIT_PAGE_SIZE,
        ...(pageCursor ? { cursor: pageCursor } : {}),
      });
      setNext({ pageKey, cursor: page.nextCursor });
      return page;
    },
    [pageKey, refreshKey],
    // a row that left the states filtered by no longer matches the filters
    { keep: t => !states || states.includes(t.state) },
  );
  const nextCursor = next?.pageKey === pageKey ? next.cursor : undefined;
  const page = cursors.length + 1;

  return (
    <>
      {list.error && <ResponseErrorPanel error={list.error} />}
      {!(list.error && list.items.length === 0) && (
        <TransfersTable
          title="Transfers"
          transfers={list.items}
          columns={COLUMNS}
          loading={list.loading}
          sort={{
            field: filters.sort ?? 'createdAt',
            order: filters.order ?? 'desc',
          }}
          onSortChange={onSortChange}
          onTransferChange={list.replace}
          emptyContent={
            <Typography variant="body2">
              No transfer matches these filters.
            </Typography>
          }
        />
      )}
      <Box
        component="nav"
        aria-label="Pages"
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        mt={1}
        style={{ gap: 8 }}
      >
        <Button
          variant="outlined"
          disabled={page === 1}
          onClick={() => setTrail({ filterKey, cursors: cursors.slice(0, -1) })}
        >
          Previous page
        </Button>
        <Typography variant="body2" aria-live="polite">
          Page {page}
        </Typography>
        <Button
          variant="outlined"
          disabled={!nextCursor || list.loading}
          onClick={() =>
            nextCursor &&
            setTrail({ filterKey, cursors: [...cursors, nextCursor] })
          }
        >
          Next page
        </Button>
        {!list.live && (
          <Typography variant="caption" color="textSecondary">
            Live updates are off in this portal: refresh to see changes.
          </Typography>
        )}
      </Box>
    </>
  );
}
