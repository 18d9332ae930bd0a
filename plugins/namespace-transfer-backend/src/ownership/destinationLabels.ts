import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { entityClaim, ownsNothing } from './entityClaim';

/**
 * Where an entity takes a transfer's destination claim, and the labels that claim must carry to appear
 * under it: the entity's namespace annotation (required: a kubernetes-id alone would grant every namespace
 * of every cluster) and its selector's equality part. An entity that could not own the claim it received
 * is refused with a 400 that says which annotation to fix.
 */
export function destinationOfEntity(entity: Entity): {
  entityRef: string;
  namespace: string;
  labels: Record<string, string>;
} {
  const claim = entityClaim(entity);
  if (ownsNothing(claim)) {
    throw new InputError(
      `${stringifyEntityRef(entity)} cannot receive a transfer: ${claim.ownsNothing}`,
    );
  }
  return {
    entityRef: claim.entityRef,
    namespace: claim.namespace,
    labels: claim.labels,
  };
}
