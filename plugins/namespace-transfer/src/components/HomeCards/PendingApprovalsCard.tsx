import { ResponseErrorPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { usePendingApprovals } from '../Approvals/usePendingApprovals';
import { ListControls, TransfersTable } from '../Transfers';

/** How many requests the card names; the count covers all it read. */
const SHOWN = 5;
/** Requests read for the count: past this the card says "or more". */
const COUNTED = 50;

function countText(count: number, more: boolean): string {
  if (count === 0) return 'No requests wait for your approval.';
  const n = more
    ? `${count} or more requests wait`
    : `${count} ${count === 1 ? 'request waits' : 'requests wait'}`;
  return `${n} for your approval.`;
}

/**
 * The body of a home page card: how many requests wait for the signed-in user's approval and the first
 * few, each linking to its page where the plan is shown and the user decides. Live through signals.
 *
 * @public
 */
export function PendingApprovalsCard() {
  const list = usePendingApprovals({ limit: COUNTED });
  if (list.error && list.items.length === 0) {
    return (
      <>
        <ResponseErrorPanel error={list.error} />
        <ListControls
          live={list.live}
          failed
          hasMore={false}
          loadingMore={false}
          onRefresh={list.refresh}
          onLoadMore={list.loadMore}
        />
      </>
    );
  }
  return (
    <>
      {!list.loading && (
        <Typography variant="body2" paragraph>
          {countText(list.items.length, list.hasMore)}
        </Typography>
      )}
      {(list.loading || list.items.length > 0) && (
        <TransfersTable
          title="Waiting for your approval"
          transfers={list.items.slice(0, SHOWN)}
          columns={['transfer', 'requester', 'created']}
          loading={list.loading}
        />
      )}
      <ListControls
        live={list.live}
        failed={Boolean(list.error)}
        hasMore={false}
        loadingMore={false}
        onRefresh={list.refresh}
        onLoadMore={list.loadMore}
      />
    </>
  );
}
