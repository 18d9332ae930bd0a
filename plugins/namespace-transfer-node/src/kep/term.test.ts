import { callHook } from './attempt';
import type { KepContext, StatusUpdater } from './context';
import { forTerm } from './term';
import type { KepTransfer } from './types';

/** A writer that applies each change to one stored status, as the API server would, and counts writes. */
function fakeWriter(onRead?: () => void) {
  const stored = { phase: 'Rebinding' } as Record<string, unknown>;
  let writes = 0;
  const writer: StatusUpdater<Record<string, unknown>, unknown> = {
    async update(_ns, _name, change) {
      onRead?.();
      Object.assign(stored, change({ ...stored }, {}));
      writes++;
      return {};
    },
  };
  return { writer, stored, writes: () => writes };
}

const contextWith = (
  term: AbortController,
  writer: StatusUpdater<never, never>,
  hooks: KepContext['hooks'] = {},
) =>
  ({
    handOver: () => term.signal,
    requests: writer,
    approvals: writer,
    hooks,
    log: () => undefined,
  }) as unknown as KepContext;

const t = { id: 'kep-1' } as KepTransfer;

describe('forTerm', () => {
  it('writes while the term lasts and nothing once it ended', async () => {
    const term = new AbortController();
    const w = fakeWriter();
    const ctx = forTerm(contextWith(term, w.writer as never));
    await ctx.requests.update('ns', 'r', s => ({ ...s, phase: 'Quiescing' }));
    expect(w.writes()).toBe(1);
    term.abort(new Error('leadership lost: handed over'));
    await expect(
      ctx.requests.update('ns', 'r', s => ({ ...s, phase: 'Failed' })),
    ).resolves.toBeUndefined();
    await ctx.approvals.update('ns', 'a', s => ({ ...s, phase: 'Used' }));
    expect(w.writes()).toBe(1);
    expect(w.stored.phase).toBe('Quiescing');
  });

  it('drops a write whose read was under way when the term ended', async () => {
    const term = new AbortController();
    // the term ends between the writer's read and its change: the lease was lost while the GET ran
    const w = fakeWriter(() => term.abort(new Error('lost')));
    const ctx = forTerm(contextWith(term, w.writer as never));
    await ctx.requests.update('ns', 'r', s => ({ ...s, phase: 'Failed' }));
    expect(w.stored.phase).toBe('Rebinding');
    expect(w.writes()).toBe(0);
  });

  it('keeps the signal of the term it started in, not a newer one', () => {
    const first = new AbortController();
    let current = first;
    const ctx = forTerm({
      ...contextWith(first, fakeWriter().writer as never),
      handOver: () => current.signal,
    });
    current = new AbortController();
    first.abort(new Error('lost'));
    expect(ctx.handOver().aborted).toBe(true);
  });
});

describe('callHook after the term ended', () => {
  it('calls no hook but the hand-over’s own ended', async () => {
    const term = new AbortController();
    const called: string[] = [];
    const ctx = contextWith(term, fakeWriter().writer as never, {
      checkpoint: () => void called.push('checkpoint'),
      ended: (_t, o) => void called.push(`ended ${o.state}`),
    });
    await callHook(ctx, 'checkpoint', t, {} as never);
    term.abort(new Error('lost'));
    await callHook(ctx, 'checkpoint', t, {} as never);
    await callHook(ctx, 'ended', t, { state: 'failed' } as never);
    await callHook(ctx, 'ended', t, { state: 'handedOver' });
    expect(called).toEqual(['checkpoint', 'ended handedOver']);
  });
});
