import type { KObject } from '../registry/types';
import type { Store } from '../store';

/**
 * The class a Default*Class admission plugin assigns: among the objects of `resource` annotated "true"
 * with one of `annotations`, the newest (ties: the first name), as current kube-apiservers pick.
 */
export function newestDefault(
  store: Store,
  resource: string,
  annotations: string[],
): KObject | undefined {
  return store
    .list(resource)
    .filter(c => annotations.some(a => c.metadata.annotations?.[a] === 'true'))
    .sort(
      (a, b) =>
        (b.metadata.creationTimestamp ?? '').localeCompare(
          a.metadata.creationTimestamp ?? '',
        ) || a.metadata.name.localeCompare(b.metadata.name),
    )[0];
}
