import { Entity } from '@backstage/catalog-model';
import { labelSelectorMatcher } from '../entities';
import type { ClaimOwnership, ClaimRef } from '../access/types';
import { entityClaim, namespaceNamesEntity, ownsNothing } from './entityClaim';

export interface ClaimFacts {
  claim: ClaimRef;
  /** the claim's labels on the cluster */
  labels: Record<string, string>;
  /** the catalog's entities that name the claim's namespace (more do no harm) */
  entities: Entity[];
  /** namespaceTransfer.ownership.namespaceOwnerAnnotation, when configured */
  ownerAnnotation?: string;
  /** the claim's namespace's annotations (needed when ownerAnnotation is set) */
  namespaceAnnotations?: Record<string, string>;
}

/** At most this many reasons why other entities do not own the claim, to keep a message readable. */
const REASONS_SHOWN = 3;

/**
 * Who owns a claim (issue 16, "who may do what"): the one entity whose namespace is the claim's and whose
 * selector, with an equality part, matches the claim's labels, where the namespace's owner annotation
 * (if configured) names it. Several such entities: nobody but the admins, since whoever can write the
 * catalog could otherwise claim someone else's volume by copying its selector.
 */
export function decideClaimOwnership(facts: ClaimFacts): ClaimOwnership {
  const { claim, labels, ownerAnnotation } = facts;
  const where = `${claim.namespace}/${claim.claim} on cluster '${claim.cluster}'`;
  const claimants: { entityRef: string; owners: string[] }[] = [];
  const notOwning: string[] = [];
  for (const entity of facts.entities) {
    const c = entityClaim(entity);
    if (ownsNothing(c)) {
      notOwning.push(c.ownsNothing);
      continue;
    }
    if (c.namespace !== claim.namespace) continue;
    if (!labelSelectorMatcher(c.labelSelector)(labels)) continue;
    if (
      ownerAnnotation &&
      !namespaceNamesEntity(
        facts.namespaceAnnotations?.[ownerAnnotation],
        entity,
      )
    ) {
      notOwning.push(
        `namespace ${claim.namespace}'s annotation '${ownerAnnotation}' does not name ${c.entityRef}`,
      );
      continue;
    }
    claimants.push(c);
  }
  if (claimants.length > 1) {
    const refs = claimants.map(c => c.entityRef).sort();
    return {
      owners: [],
      unowned: `${where} is claimed by several catalog entities (${refs.join(', ')}), so nobody but the admins owns it; remove or narrow all but one`,
    };
  }
  if (claimants.length === 0) {
    const why = notOwning.slice(0, REASONS_SHOWN).join('; ');
    return {
      owners: [],
      unowned: `no catalog entity owns ${where}${why ? ` (${why})` : ''}`,
    };
  }
  const [owner] = claimants;
  if (owner.owners.length === 0) {
    return {
      entityRef: owner.entityRef,
      owners: [],
      unowned: `${owner.entityRef} owns ${where} but has no owner in the catalog (spec.owner)`,
    };
  }
  return { entityRef: owner.entityRef, owners: owner.owners };
}
