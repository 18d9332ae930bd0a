import type { KepTransfer } from '@namespace-transfer/plugin-namespace-transfer-node';
import type { ClaimOwnership, ClaimRef } from '../access/types';
import type { KepEntityRefs } from '../store';

/**
 * The catalog entities of a KEP transfer's claims, by the same ownership rules that name a portal
 * request's source (the claim's labels against the entities of its namespace). A claim that does not
 * exist (the source after the point of no return, the destination before it is made) or that no single
 * entity owns names none; its owners then see the transfer only through the admins and the audit view.
 */
export function kepEntities(
  claimOwnership: (claim: ClaimRef) => Promise<ClaimOwnership>,
): (t: KepTransfer) => Promise<KepEntityRefs> {
  const entityOf = (t: KepTransfer, side: KepTransfer['source']) =>
    claimOwnership({
      cluster: t.cluster,
      namespace: side.namespace,
      claim: side.name,
    }).then(
      o => o.entityRef,
      () => undefined,
    );
  return async t => {
    const [source, destination] = await Promise.all([
      entityOf(t, t.source),
      entityOf(t, t.destination),
    ]);
    return {
      ...(source && { source }),
      ...(destination && { destination }),
    };
  };
}
