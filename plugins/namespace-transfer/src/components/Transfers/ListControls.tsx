import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';

/** @public */
export interface ListControlsProps {
  /** signals update the list on their own */
  live: boolean;
  /** the last read failed: reading again is the way out */
  failed?: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  onRefresh(): void;
  onLoadMore(): void;
}

/** What a live list (useTransferList, usePendingApprovals) says about itself, as the controls take it. */
export function listControlsOf(list: {
  live: boolean;
  error?: unknown;
  hasMore: boolean;
  loadingMore: boolean;
  refresh(): void;
  loadMore(): void;
}): ListControlsProps {
  return {
    live: list.live,
    failed: Boolean(list.error),
    hasMore: list.hasMore,
    loadingMore: list.loadingMore,
    onRefresh: list.refresh,
    onLoadMore: list.loadMore,
  };
}

/**
 * Under a live list: "Show more" while the API has further pages, and "Refresh" where nothing updates on
 * its own (no signals in this portal) or the last read failed.
 *
 * @public
 */
export function ListControls(props: ListControlsProps) {
  const { live, failed, hasMore, loadingMore, onRefresh, onLoadMore } = props;
  if (live && !failed && !hasMore) return null;
  return (
    <Box
      display="flex"
      alignItems="center"
      flexWrap="wrap"
      mt={1}
      style={{ gap: 8 }}
    >
      {hasMore && (
        <Button variant="outlined" disabled={loadingMore} onClick={onLoadMore}>
          {loadingMore ? 'Loading…' : 'Show more'}
        </Button>
      )}
      {(!live || failed) && (
        <Button variant="outlined" onClick={onRefresh}>
          Refresh
        </Button>
      )}
      {!live && (
        <Typography variant="caption" color="textSecondary">
          Live updates are off in this portal: refresh to see changes.
        </Typography>
      )}
    </Box>
  );
}
