import type { KepContext, StatusUpdater } from './context';

/** Thrown inside a write's change once the term ended, so that the writer sends nothing. */
const TERM_ENDED = Symbol('term ended');

/**
 * The context of one reconcile, bound to the leadership term it started in. Once that term ends another
 * replica may already act on the request, so every status write of this one is dropped, also one whose
 * read was under way, and `handOver()` keeps answering with this term's signal (not a newer term's).
 */
export function forTerm(ctx: KepContext): KepContext {
  const term = ctx.handOver();
  return {
    ...ctx,
    handOver: () => term,
    requests: guarded(ctx.requests, term),
    approvals: guarded(ctx.approvals, term),
  };
}

function guarded<S, T>(
  writer: StatusUpdater<S, T>,
  term: AbortSignal,
): StatusUpdater<S, T> {
  return {
    async update(namespace, name, change) {
      if (term.aborted) return undefined;
      try {
        return await writer.update(namespace, name, (s, o) => {
          if (term.aborted) throw TERM_ENDED;
          return change(s, o);
        });
      } catch (e) {
        if (e === TERM_ENDED) return undefined;
        throw e;
      }
    },
  };
}
