import type { PersistentVolumeClaim } from '../kube/types';

/**
 * What an external provisioner (csi-provisioner) makes of a claim's data source:
 * - none: an empty volume;
 * - a PersistentVolumeClaim (core) or a VolumeSnapshot (snapshot.storage.k8s.io): its own job, a clone or
 *   a restore, done only when the driver can; kube-sim's hostpath driver can do neither, and says so;
 * - any other kind: a volume populator's (the AnyVolumeDataSource design), so the provisioner leaves the
 *   claim alone, with no event, and whoever populates that kind binds it.
 * dataSourceRef is read first: the API server copies dataSource into it, and only it can name another
 * namespace or a custom kind.
 */
export type DataSourceVerdict =
  | { kind: 'none' }
  | { kind: 'unsupported'; message: string }
  | { kind: 'populator' };

const SNAPSHOT_GROUP = 'snapshot.storage.k8s.io';

export function dataSourceVerdict(
  pvc: PersistentVolumeClaim,
): DataSourceVerdict {
  const ref = pvc.spec?.dataSourceRef ?? pvc.spec?.dataSource;
  if (!ref) return { kind: 'none' };
  const group = ref.apiGroup ?? '';
  if (group === '' && ref.kind === 'PersistentVolumeClaim')
    return {
      kind: 'unsupported',
      message: `cannot clone claim "${ref.name}": the kube-sim.io/hostpath driver does not support volume cloning`,
    };
  if (group === SNAPSHOT_GROUP && ref.kind === 'VolumeSnapshot')
    return {
      kind: 'unsupported',
      message: `cannot restore VolumeSnapshot "${ref.name}": the kube-sim.io/hostpath driver does not support snapshots`,
    };
  return { kind: 'populator' };
}
