import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { R } from '../kube/resources';
import { isAlreadyExists, isNotFound } from '../kube/rest';
import {
  keyOf,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '../kube/types';
import { ANN, claimClass, requestedBytes } from '../pvbinder/matching';
import { formatBytes, remainingCapacity } from './capacity';
import { dataSourceVerdict } from './dataSource';

export const PROVISIONER_NAME = 'kube-sim.io/hostpath';
const COMPONENT = `${PROVISIONER_NAME}_kube-sim`;

/**
 * A dynamic provisioner in the manner of sig-storage-lib-external-provisioner: it serves claims the PV
 * controller has handed to `kube-sim.io/hostpath` (storage-provisioner annotation), makes a directory
 * and a PV pre-bound to the claim, and on reclaim policy Delete removes the directory, then the PV.
 * A claim whose data source is for a populator is left alone (dataSource.ts).
 */
export function startHostPathProvisioner(ctx: ControllerContext): Stoppable {
  const { rest } = ctx;
  const events = ctx.recorder(COMPONENT);
  const pvcs = ctx.informers.get<PersistentVolumeClaim>(
    R.persistentvolumeclaims,
  );
  const pvs = ctx.informers.get<PersistentVolume>(R.persistentvolumes);
  const classes = ctx.informers.get<StorageClass>(R.storageclasses);
  // PVs created but maybe not yet seen by the informer: counted against capacity all the same.
  const justCreated = new Map<string, PersistentVolume>();

  const rootOf = (sc: StorageClass) =>
    sc.parameters?.root
      ? path.resolve(sc.parameters.root)
      : path.join(ctx.options.dataDir, 'storage', sc.metadata?.name as string);

  const claimRef = (pvc: PersistentVolumeClaim) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: pvc.metadata,
  });

  function wantsUs(pvc: PersistentVolumeClaim): boolean {
    const ann = pvc.metadata?.annotations ?? {};
    return (
      (ann[ANN.storageProvisioner] ?? ann[ANN.betaStorageProvisioner]) ===
      PROVISIONER_NAME
    );
  }

  async function provision(key: string): Promise<number | undefined> {
    const pvc = pvcs.get(key);
    if (
      !pvc ||
      pvc.metadata?.deletionTimestamp ||
      pvc.spec?.volumeName ||
      !wantsUs(pvc)
    )
      return undefined;
    const source = dataSourceVerdict(pvc);
    if (source.kind === 'populator') return undefined;
    const pvName = `pvc-${pvc.metadata?.uid}`;
    if (pvs.getByName(undefined, pvName) || justCreated.has(pvName))
      return undefined;
    const sc = classes.getByName(undefined, claimClass(pvc));
    if (!sc || sc.provisioner !== PROVISIONER_NAME) return undefined;
    if (
      sc.volumeBindingMode === 'WaitForFirstConsumer' &&
      !pvc.metadata?.annotations?.[ANN.selectedNode]
    )
      return undefined;
    if (source.kind === 'unsupported') {
      events.record(
        claimRef(pvc),
        'Warning',
        'ProvisioningFailed',
        source.message,
      );
      return undefined;
    }
    if (pvc.spec?.selector) {
      events.record(
        claimRef(pvc),
        'Warning',
        'ProvisioningFailed',
        'claim Selector is not supported',
      );
      return undefined;
    }
    const request = requestedBytes(pvc);
    const known = new Map(
      pvs.list().map(pv => [pv.metadata?.name as string, pv] as const),
    );
    for (const [n, pv] of justCreated) if (!known.has(n)) known.set(n, pv);
    const cap = remainingCapacity(sc, [...known.values()]);
    if (cap && request > cap.remaining) {
      events.record(
        claimRef(pvc),
        'Warning',
        'ProvisioningFailed',
        `failed to provision volume with StorageClass "${sc.metadata?.name}": insufficient capacity: requested ${formatBytes(request)}, ${formatBytes(cap.remaining)} of ${formatBytes(cap.total)} remaining`,
      );
      // The provisioner library retries failed claims; capacity may be freed meanwhile.
      return 15_000;
    }
    events.record(
      claimRef(pvc),
      'Normal',
      'Provisioning',
      `External provisioner is provisioning volume for claim "${key}"`,
    );
    const dir = path.join(rootOf(sc), pvName);
    await fs.mkdir(dir, { recursive: true });
    // World-writable like other hostPath provisioners: pods run under arbitrary UIDs.
    await fs.chmod(dir, 0o777);
    const pv: PersistentVolume = {
      metadata: {
        name: pvName,
        annotations: { [ANN.provisionedBy]: PROVISIONER_NAME },
      },
      spec: {
        capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '0' },
        accessModes: pvc.spec?.accessModes,
        volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
        storageClassName: sc.metadata?.name,
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        mountOptions: sc.mountOptions,
        hostPath: { path: dir, type: '' },
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          namespace: pvc.metadata?.namespace,
          name: pvc.metadata?.name,
          uid: pvc.metadata?.uid,
          resourceVersion: pvc.metadata?.resourceVersion,
        },
      },
    };
    try {
      const created = await rest.create(R.persistentvolumes, undefined, pv);
      justCreated.set(pvName, created);
    } catch (e) {
      if (!isAlreadyExists(e)) {
        events.record(
          claimRef(pvc),
          'Warning',
          'ProvisioningFailed',
          `failed to create volume ${pvName}: ${(e as Error).message}`,
        );
        throw e;
      }
    }
    events.record(
      claimRef(pvc),
      'Normal',
      'ProvisioningSucceeded',
      `Successfully provisioned volume ${pvName}`,
    );
    return undefined;
  }

  async function reclaim(name: string): Promise<void> {
    const pv = pvs.getByName(undefined, name);
    if (
      !pv ||
      pv.metadata?.annotations?.[ANN.provisionedBy] !== PROVISIONER_NAME
    )
      return;
    if (
      pv.status?.phase !== 'Released' ||
      pv.spec?.persistentVolumeReclaimPolicy !== 'Delete'
    )
      return;
    if (pv.metadata?.deletionTimestamp) return;
    const dir = pv.spec?.hostPath?.path;
    // Never remove anything but a directory this provisioner made for exactly this volume.
    if (dir && path.basename(dir) === name)
      await fs.rm(dir, { recursive: true, force: true });
    try {
      await rest.delete(R.persistentvolumes, undefined, name, {
        uid: pv.metadata?.uid,
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    justCreated.delete(name);
  }

  const claimQueue = ctx.queue('provisioner-claims', provision, 1);
  const volumeQueue = ctx.queue('provisioner-volumes', reclaim);

  pvcs.addHandlers({
    add: o => claimQueue.add(keyOf(o)),
    update: (_, o) => claimQueue.add(keyOf(o)),
  });
  pvs.addHandlers({
    add: o => {
      justCreated.delete(o.metadata?.name as string);
      volumeQueue.add(keyOf(o));
    },
    update: (_, o) => volumeQueue.add(keyOf(o)),
    delete: o => {
      justCreated.delete(o.metadata?.name as string);
      // Freed capacity may let a waiting claim through.
      for (const c of pvcs.list())
        if (!c.spec?.volumeName && wantsUs(c)) claimQueue.add(keyOf(c));
    },
  });
  return { stop: async () => undefined };
}
