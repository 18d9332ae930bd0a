import { useApi } from '@backstage/core-plugin-api';
import { namespaceTransferApiRef } from '../../api';
import { useTransferList, UseTransferListResult } from '../../hooks';
import { loadPendingApprovals } from './loadPendingApprovals';

/**
 * The requests waiting for the signed-in user's approval, live. Only those still pending are returned: a
 * decision (the user's answer, or another approver's seen through a signal) takes a request out at once.
 */
export function usePendingApprovals(options: {
  entityRef?: string;
  limit: number;
}): UseTransferListResult {
  const { entityRef, limit } = options;
  const api = useApi(namespaceTransferApiRef);
  const list = useTransferList(
    cursor =>
      loadPendingApprovals(
        api,
        entityRef ? { entityRef, limit } : { limit },
        cursor,
      ),
    [entityRef, limit],
  );
  return {
    ...list,
    items: list.items.filter(t => t.state === 'pending-approval'),
  };
}
