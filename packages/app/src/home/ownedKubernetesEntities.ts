import { Entity } from '@backstage/catalog-model';
import {
  CATALOG_FILTER_EXISTS,
  CatalogApi,
} from '@backstage/plugin-catalog-react';
import { isNamespaceTransferAvailable } from '@namespace-transfer/plugin-namespace-transfer';

export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/** The kinds whose entity pages have the Volumes & transfers tab. */
const KINDS = ['Component', 'Resource'];

const kindOrder = (entity: Entity) =>
  KINDS.findIndex(kind => kind.toLowerCase() === entity.kind.toLowerCase());

/**
 * The components and resources owned by any of `ownershipEntityRefs` (the user and their groups) that name
 * their Kubernetes resources with `backstage.io/kubernetes-id` or `backstage.io/kubernetes-label-selector`,
 * the entities whose Volumes & transfers tab has something to show. Sorted by kind, then name.
 */
export async function getOwnedKubernetesEntities(
  catalogApi: CatalogApi,
  ownershipEntityRefs: string[],
): Promise<Entity[]> {
  if (ownershipEntityRefs.length === 0) return [];
  const { items } = await catalogApi.getEntities({
    // Filters in a list are OR-ed: either annotation will do.
    filter: [
      KUBERNETES_ID_ANNOTATION,
      KUBERNETES_LABEL_SELECTOR_ANNOTATION,
    ].map(annotation => ({
      kind: KINDS,
      'relations.ownedBy': ownershipEntityRefs,
      [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
    })),
    fields: [
      'kind',
      'metadata.namespace',
      'metadata.name',
      'metadata.title',
      'metadata.description',
      'metadata.annotations',
      'spec.type',
      'relations',
    ],
  });
  // The same rule as the tab itself: an annotation that is present but blank names nothing.
  return items
    .filter(isNamespaceTransferAvailable)
    .sort(
      (a, b) =>
        kindOrder(a) - kindOrder(b) ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
}
