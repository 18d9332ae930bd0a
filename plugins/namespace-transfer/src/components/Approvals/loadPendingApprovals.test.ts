import { TransferPage } from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi } from '../../api';
import { sampleTransfer } from '../../lib/testing';
import { loadPendingApprovals } from './loadPendingApprovals';

const page = (ids: string[], nextCursor?: string): TransferPage => ({
  items: ids.map(id => sampleTransfer({ id })),
  ...(nextCursor ? { nextCursor } : {}),
});

function apiAnswering(pages: Record<string, TransferPage>) {
  const getPendingApprovals = jest.fn(
    async (query?: { cursor?: string }) => pages[query?.cursor ?? 'first'],
  );
  return {
    api: { getPendingApprovals } as unknown as NamespaceTransferApi,
    getPendingApprovals,
  };
}

describe('loadPendingApprovals', () => {
  it('follows the cursor past pages the caller may not approve until the limit is met', async () => {
    const { api, getPendingApprovals } = apiAnswering({
      first: page([], 'c1'),
      c1: page(['a'], 'c2'),
      c2: page(['b', 'c'], 'c3'),
      c3: page(['d']),
    });
    const result = await loadPendingApprovals(api, { limit: 3 });
    expect(result.items.map(t => t.id)).toEqual(['a', 'b', 'c']);
    expect(result.nextCursor).toBe('c3');
    expect(getPendingApprovals.mock.calls.map(([q]) => q)).toEqual([
      { limit: 3 },
      { limit: 3, cursor: 'c1' },
      { limit: 3, cursor: 'c2' },
    ]);
  });

  it('reads on from a cursor and says when the list ends', async () => {
    const { api } = apiAnswering({
      first: page(['a'], 'c1'),
      c1: page([], 'c2'),
      c2: page(['b']),
    });
    const result = await loadPendingApprovals(
      api,
      { limit: 5, entityRef: 'component:default/payments-db' },
      'c1',
    );
    expect(result).toEqual({ items: [expect.objectContaining({ id: 'b' })] });
  });

  it('stops after ten pages and hands back the cursor to read on from', async () => {
    const getPendingApprovals = jest.fn(async () => page([], 'again'));
    const api = { getPendingApprovals } as unknown as NamespaceTransferApi;
    const result = await loadPendingApprovals(api, { limit: 5 });
    expect(result).toEqual({ items: [], nextCursor: 'again' });
    expect(getPendingApprovals).toHaveBeenCalledTimes(10);
  });

  it('passes the API refusal on', async () => {
    const api = {
      getPendingApprovals: async () => {
        throw new Error('not allowed');
      },
    } as unknown as NamespaceTransferApi;
    await expect(loadPendingApprovals(api, { limit: 5 })).rejects.toThrow(
      'not allowed',
    );
  });
});
