/** PersistentVolumeClaim and PersistentVolume validation (pkg/apis/core/validation). */
import {
  type FieldError,
  forbiddenField,
  invalid,
  notSupported,
  required,
} from '../errors';
import type { KObject } from '../registry/types';
import { deepEqual } from '../util';
import { storedWithApiGroup, validateDataSources } from './dataSource';
import { QUANTITY_MESSAGE, tryParseQuantity } from '../../lib/quantity';

const ACCESS_MODES = [
  'ReadOnlyMany',
  'ReadWriteMany',
  'ReadWriteOnce',
  'ReadWriteOncePod',
];
const VOLUME_MODES = ['Block', 'Filesystem'];
const PV_SOURCES = [
  'hostPath',
  'local',
  'nfs',
  'csi',
  'iscsi',
  'fc',
  'rbd',
  'cephfs',
  'azureFile',
  'awsElasticBlockStore',
  'gcePersistentDisk',
];

function validateAccessModes(
  modes: unknown,
  path: string,
  errs: FieldError[],
): void {
  if (!Array.isArray(modes) || modes.length === 0) {
    errs.push(required(path, 'at least 1 access mode is required'));
    return;
  }
  for (const m of modes)
    if (!ACCESS_MODES.includes(m))
      errs.push(notSupported(path, m, ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1)
    errs.push(
      forbiddenField(
        path,
        'may not use ReadWriteOncePod with other access modes',
      ),
    );
}

function validateStorage(q: unknown, path: string, errs: FieldError[]): void {
  const n = tryParseQuantity(q);
  if (n === undefined) errs.push(invalid(path, q, QUANTITY_MESSAGE));
  else if (n <= 0) errs.push(invalid(path, q, 'must be greater than zero'));
}

export function validatePvc(
  pvc: KObject,
  allowInvalidDataSourceGroup = false,
): FieldError[] {
  const errs: FieldError[] = [];
  const spec: KObject = pvc.spec ?? {};
  validateAccessModes(spec.accessModes, 'spec.accessModes', errs);
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined) errs.push(required('spec.resources[storage]'));
  else validateStorage(storage, 'spec.resources[storage]', errs);
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode))
    errs.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  if (
    spec.storageClassName !== undefined &&
    spec.storageClassName !== '' &&
    typeof spec.storageClassName !== 'string'
  )
    errs.push(
      invalid(
        'spec.storageClassName',
        spec.storageClassName,
        'must be a string',
      ),
    );
  errs.push(...validateDataSources(spec, allowInvalidDataSourceGroup));
  return errs;
}

/** ValidatePersistentVolumeClaimUpdate: the spec is immutable, except volumeName once and, when bound, the size. */
export function validatePvcUpdate(pvc: KObject, old: KObject): FieldError[] {
  const errs = validatePvc(pvc, storedWithApiGroup(old.spec));
  const oldSpec = structuredClone(old.spec ?? {});
  const newSpec = structuredClone(pvc.spec ?? {});
  // RetroactiveDefaultStorageClass (GA in 1.28): an unbound claim created without a class may get one.
  if (
    old.spec?.storageClassName === undefined &&
    !old.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] &&
    !old.spec?.volumeName &&
    newSpec.storageClassName !== undefined
  )
    oldSpec.storageClassName = newSpec.storageClassName;
  if (!oldSpec.volumeName) oldSpec.volumeName = newSpec.volumeName;
  if (oldSpec.volumeName === undefined) delete oldSpec.volumeName;
  const bound = (pvc.status?.phase ?? old.status?.phase) === 'Bound';
  if (bound && newSpec.resources?.requests)
    newSpec.resources.requests.storage = oldSpec.resources?.requests?.storage;
  newSpec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
  if (!deepEqual(oldSpec, newSpec))
    errs.push(
      forbiddenField(
        'spec',
        'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      ),
    );
  const oldSize = tryParseQuantity(old.spec?.resources?.requests?.storage) ?? 0;
  const newSize = tryParseQuantity(pvc.spec?.resources?.requests?.storage) ?? 0;
  if (bound && newSize < oldSize)
    errs.push(
      forbiddenField(
        'spec.resources.requests.storage',
        'field can not be less than previous value',
      ),
    );
  return errs;
}

export function validatePv(pv: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec: KObject = pv.spec ?? {};
  validateAccessModes(spec.accessModes, 'spec.accessModes', errs);
  const storage = spec.capacity?.storage;
  if (storage === undefined) errs.push(required('spec.capacity'));
  else validateStorage(storage, 'spec.capacity[storage]', errs);
  const sources = PV_SOURCES.filter(s => s in spec);
  if (sources.length === 0)
    errs.push(required('spec', 'must specify a volume type'));
  if (sources.length > 1)
    errs.push(
      forbiddenField(
        `spec.${sources[1]}`,
        'may not specify more than 1 volume type',
      ),
    );
  if (spec.hostPath && !spec.hostPath.path)
    errs.push(required('spec.hostPath.path'));
  if (spec.local && !spec.local.path) errs.push(required('spec.local.path'));
  const policies = ['Delete', 'Recycle', 'Retain'];
  if (
    spec.persistentVolumeReclaimPolicy &&
    !policies.includes(spec.persistentVolumeReclaimPolicy)
  )
    errs.push(
      notSupported(
        'spec.persistentVolumeReclaimPolicy',
        spec.persistentVolumeReclaimPolicy,
        policies,
      ),
    );
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode))
    errs.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  if (spec.claimRef && !spec.claimRef.name)
    errs.push(required('spec.claimRef.name'));
  if (spec.claimRef && !spec.claimRef.namespace)
    errs.push(required('spec.claimRef.namespace'));
  return errs;
}

export function validatePvUpdate(pv: KObject, old: KObject): FieldError[] {
  const errs = validatePv(pv);
  const sourceOf = (s: KObject) =>
    Object.fromEntries(
      PV_SOURCES.filter(k => k in (s ?? {})).map(k => [k, s[k]]),
    );
  if (!deepEqual(sourceOf(pv.spec), sourceOf(old.spec)))
    errs.push(
      forbiddenField(
        'spec.persistentvolumesource',
        'spec.persistentvolumesource is immutable after creation',
      ),
    );
  if (
    (old.spec?.volumeMode ?? 'Filesystem') !==
    (pv.spec?.volumeMode ?? 'Filesystem')
  )
    errs.push(
      invalid('spec.volumeMode', pv.spec?.volumeMode, 'field is immutable'),
    );
  if (
    old.spec?.nodeAffinity &&
    !deepEqual(old.spec.nodeAffinity, pv.spec?.nodeAffinity)
  )
    errs.push(
      invalid('spec.nodeAffinity', pv.spec?.nodeAffinity, 'field is immutable'),
    );
  return errs;
}
