import { Entity } from '@backstage/catalog-model';

export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';

/**
 * Same rule as the backend: the entity must name its Kubernetes resources explicitly.
 *
 * @public
 */
export function isNamespaceTransferAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[KUBERNETES_ID_ANNOTATION]?.trim() ||
    annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]?.trim(),
  );
}
