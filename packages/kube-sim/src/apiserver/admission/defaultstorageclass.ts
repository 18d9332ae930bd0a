/**
 * DefaultStorageClass admission: a claim created without spec.storageClassName (absent, not "") gets the
 * class annotated storageclass.kubernetes.io/is-default-class=true; with several, the newest one.
 */
import type { AdmissionPlugin } from '.';
import type { Store } from '../store';

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
      const defaults = store
        .list('storageclasses.storage.k8s.io')
        .filter(sc =>
          DEFAULT_ANNOTATIONS.some(
            a => sc.metadata.annotations?.[a] === 'true',
          ),
        )
        .sort(
          (a, b) =>
            (b.metadata.creationTimestamp ?? '').localeCompare(
              a.metadata.creationTimestamp ?? '',
            ) || a.metadata.name.localeCompare(b.metadata.name),
        );
      if (defaults.length)
        obj.spec.storageClassName = defaults[0].metadata.name;
    },
  };
}
