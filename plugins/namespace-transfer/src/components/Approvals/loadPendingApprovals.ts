import {
  ListQuery,
  TransferPage,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi } from '../../api';

/** Pages read for one call at most: a store full of requests the caller may not approve ends in time. */
const MAX_PAGES_PER_CALL = 10;

/**
 * One page of the requests waiting for the caller's approval, from `cursor` on, holding `limit` requests
 * unless the list ends first. The API leaves out what the caller may not approve, so one of its pages may
 * hold fewer, even none, and still have a next one: an empty answer must not read as "nothing waits".
 */
export async function loadPendingApprovals(
  api: NamespaceTransferApi,
  query: Omit<ListQuery, 'cursor'> & { limit: number },
  cursor?: string,
): Promise<TransferPage> {
  const items: TransferPage['items'] = [];
  let next = cursor;
  for (let page = 0; page < MAX_PAGES_PER_CALL; page++) {
    const answer = await api.getPendingApprovals(
      next ? { ...query, cursor: next } : query,
    );
    items.push(...answer.items);
    next = answer.nextCursor;
    if (!next || items.length >= query.limit) break;
  }
  return next ? { items, nextCursor: next } : { items };
}
