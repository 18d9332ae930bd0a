/**
 * NamespaceLifecycle: no new objects in a missing or terminating namespace, and the immortal namespaces
 * cannot be deleted (plugin/pkg/admission/namespace/lifecycle).
 */
import type { AdmissionPlugin } from '.';
import { failure, forbidden, notFound } from '../errors';
import type { Store } from '../store';

const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

export function namespaceLifecycle(store: Store): AdmissionPlugin {
  return {
    admitCreate(d, obj) {
      if (!d.namespaced) return;
      const ns = obj.metadata.namespace;
      const namespace = store.get('namespaces', undefined, ns);
      if (!namespace) throw notFound({ group: '', resource: 'namespaces' }, ns);
      if (
        namespace.status?.phase === 'Terminating' ||
        namespace.metadata.deletionTimestamp
      ) {
        const det: Record<string, unknown> = {
          name: obj.metadata.name,
          kind: d.plural,
        };
        if (d.group) det.group = d.group;
        throw failure(
          403,
          'Forbidden',
          `${d.group ? `${d.plural}.${d.group}` : d.plural} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
          {
            ...det,
            causes: [
              {
                reason: 'NamespaceTerminating',
                message: `namespace ${ns} is being terminated`,
                field: 'metadata.namespace',
              },
            ],
          },
        );
      }
    },
    admitDelete(d, obj) {
      if (d.kind === 'Namespace' && !d.group && IMMORTAL.has(obj.metadata.name))
        throw forbidden(
          { group: '', resource: 'namespaces' },
          obj.metadata.name,
          'this namespace may not be deleted',
        );
    },
  };
}
