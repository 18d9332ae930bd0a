/**
 * Service accounts: every namespace gets a "default" ServiceAccount (the real token controller does this
 * asynchronously; we do it as a side effect of namespace creation so that pods can be created at once), and
 * the ServiceAccount admission plugin refuses pods whose service account does not exist.
 */
import type { AdmissionPlugin } from '.';
import { forbidden } from '../errors';
import type { KObject } from '../registry/types';
import type { Store } from '../store';

export function serviceAccounts(
  store: Store,
  createDefault: (namespace: string) => void,
): AdmissionPlugin {
  return {
    admitCreate(d, obj) {
      if (d.kind !== 'Pod' || d.group) return;
      const sa = obj.spec?.serviceAccountName ?? 'default';
      const ns = obj.metadata.namespace;
      if (!store.get('serviceaccounts', ns, sa))
        throw forbidden(
          { group: '', resource: 'pods' },
          obj.metadata.name,
          `error looking up service account ${ns}/${sa}: serviceaccount "${sa}" not found`,
        );
    },
    afterCreate(d, obj: KObject) {
      if (d.kind === 'Namespace' && !d.group) createDefault(obj.metadata.name);
    },
  };
}
