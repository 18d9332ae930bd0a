import { useApi } from '@backstage/core-plugin-api';
import { TransferSummary } from '@namespace-transfer/plugin-namespace-transfer-common';
import { namespaceTransferApiRef } from '../../api';
import { useTransferList, UseTransferListResult } from '../../hooks';
import { loadPendingApprovals } from './loadPendingApprovals';

const mayApprove = (t: TransferSummary) => t.allowedActions.includes('approve');

/**
 * The requests waiting for the signed-in user's approval, live. Only those the user may still approve are
 * returned (what the backend says the user may do): a decision takes a request out at once, the user's own
 * approval too when the request waits for a second approver, and another approver's seen through a signal.
 */
export function usePendingApprovals(options: {
  entityRef?: string;
  limit: number;
}): UseTransferListResult {
  const { entityRef, limit } = options;
  const api = useApi(namespaceTransferApiRef);
  return useTransferList(
    cursor =>
      loadPendingApprovals(
        api,
        entityRef ? { entityRef, limit } : { limit },
        cursor,
      ),
    [entityRef, limit],
    { keep: mayApprove },
  );
}
