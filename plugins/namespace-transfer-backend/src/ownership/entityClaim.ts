import {
  Entity,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  equalityLabels,
  entityKubernetesSelector,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '../entities';

/** What a catalog entity claims on the clusters: the claims of one namespace that carry its labels. */
export interface EntityClaim {
  entityRef: string;
  namespace: string;
  labelSelector: string;
  /** the selector's equality part: what a claim must carry to belong to the entity */
  labels: Record<string, string>;
  /** its ownedBy relations */
  owners: string[];
}

/** An entity that owns no claim at all, and why (a reason for people). */
export interface OwnsNothing {
  entityRef: string;
  ownsNothing: string;
}

/** The entity's owners: the targets of its ownedBy relations, which the catalog derives from spec.owner. */
export function entityOwners(entity: Entity): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
}

/**
 * What an entity may claim, by the rules of issue 16: it must name its namespace (an entity with only a
 * kubernetes-id would otherwise claim a labelled claim in every namespace of every cluster) and its selector
 * must require at least one label value (a selector of only `!=`, `notin` or `!key` selects whatever
 * anyone else labels). A broken annotation owns nothing either: ownership is never guessed.
 */
export function entityClaim(entity: Entity): EntityClaim | OwnsNothing {
  const entityRef = stringifyEntityRef(entity);
  const annotations = entity.metadata.annotations ?? {};
  if (!annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim()) {
    return {
      entityRef,
      ownsNothing: `${entityRef} has no '${KUBERNETES_NAMESPACE_ANNOTATION}' annotation, and an entity owns claims only in the namespace it names`,
    };
  }
  let selector;
  try {
    selector = entityKubernetesSelector(entity);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { entityRef, ownsNothing: error.message };
  }
  const labels = equalityLabels(selector.labelSelector);
  if (!labels || Object.keys(labels).length === 0) {
    return {
      entityRef,
      ownsNothing: `${entityRef}: its selector '${selector.labelSelector}' requires no label value (key=value), so it selects what others label and owns nothing; give it '${KUBERNETES_ID_ANNOTATION}' or a '${KUBERNETES_LABEL_SELECTOR_ANNOTATION}' with a key=value part`,
    };
  }
  return {
    entityRef,
    namespace: selector.namespace!,
    labelSelector: selector.labelSelector,
    labels,
    owners: entityOwners(entity),
  };
}

export const ownsNothing = (c: EntityClaim | OwnsNothing): c is OwnsNothing =>
  'ownsNothing' in c;

/**
 * Whether a namespace's owner annotation (set by the cluster's administrators) names the entity: its full
 * ref or its name, compared without case; several may be listed, separated by commas or spaces.
 */
export function namespaceNamesEntity(
  value: string | undefined,
  entity: Entity,
): boolean {
  if (!value) return false;
  const ref = stringifyEntityRef(entity);
  const name = entity.metadata.name.toLocaleLowerCase('en-US');
  return value
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(v => v.toLocaleLowerCase('en-US'))
    .some(v => v === ref || v === name);
}
