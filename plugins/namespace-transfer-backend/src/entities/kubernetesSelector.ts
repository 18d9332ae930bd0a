import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { EntityKubernetesSelector } from '@namespace-transfer/plugin-namespace-transfer-common';

export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/**
 * Finds an entity's Kubernetes resources by the rules of Backstage's Kubernetes plugin: an explicit label
 * selector wins, else the kubernetes-id becomes `backstage.io/kubernetes-id=<id>`; the namespace annotation
 * narrows the search. Unlike the Kubernetes plugin we do not fall back to the entity name: volumes are
 * about to be moved, so they must be claimed explicitly.
 */
export function entityKubernetesSelector(
  entity: Entity,
): EntityKubernetesSelector {
  const annotations = entity.metadata.annotations ?? {};
  const explicit = annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]?.trim();
  const id = annotations[KUBERNETES_ID_ANNOTATION]?.trim();
  const namespace =
    annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim() || undefined;
  if (explicit) return { labelSelector: explicit, namespace };
  if (id)
    return { labelSelector: `${KUBERNETES_ID_ANNOTATION}=${id}`, namespace };
  throw new InputError(
    `Entity ${stringifyEntityRef(entity)} has no Kubernetes annotation. Add metadata.annotations['${KUBERNETES_ID_ANNOTATION}'] ` +
      `(and label its Kubernetes resources ${KUBERNETES_ID_ANNOTATION}=<id>) or '${KUBERNETES_LABEL_SELECTOR_ANNOTATION}'; ` +
      `'${KUBERNETES_NAMESPACE_ANNOTATION}' narrows the search to one namespace.`,
  );
}
