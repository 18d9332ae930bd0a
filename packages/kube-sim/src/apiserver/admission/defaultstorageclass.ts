/**
 * DefaultStorageClass admission: a claim created without spec.storageClassName (absent, not "") gets the
 * class annotated storageclass.kubernetes.io/is-default-class=true; with several, the newest one.
 */
import type { AdmissionPlugin } from '.';
import type { Store } from '../store';
import { newestDefault } from './newestDefault';

const DEFAULT_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

export function defaultStorageClass(store: Store): AdmissionPlugin {
  return {
    admitCreate(d, obj) {
      if (d.group || d.kind !== 'PersistentVolumeClaim') return;
      obj.spec ??= {};
      if (
        obj.spec.storageClassName !== undefined &&
        obj.spec.storageClassName !== null
      )
        return;
      const def = newestDefault(
        store,
        'storageclasses.storage.k8s.io',
        DEFAULT_ANNOTATIONS,
      );
      if (def) obj.spec.storageClassName = def.metadata.name;
    },
  };
}
