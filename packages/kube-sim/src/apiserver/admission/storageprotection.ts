/**
 * StorageObjectInUseProtection: new claims and volumes get the protection finalizers, so that deleting a
 * claim still mounted by a pod (or a volume still bound) leaves it Terminating until the pvc/pv-protection
 * controllers see it unused and remove the finalizer.
 */
import type { AdmissionPlugin } from '.';

const FINALIZERS: Record<string, string> = {
  PersistentVolumeClaim: 'kubernetes.io/pvc-protection',
  PersistentVolume: 'kubernetes.io/pv-protection',
};

export function storageObjectInUseProtection(): AdmissionPlugin {
  return {
    admitCreate(d, obj) {
      const f = d.group ? undefined : FINALIZERS[d.kind];
      if (!f) return;
      const list: string[] = (obj.metadata.finalizers ??= []);
      if (!list.includes(f)) list.push(f);
    },
  };
}
