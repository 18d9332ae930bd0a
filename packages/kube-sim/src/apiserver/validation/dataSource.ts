/**
 * A claim's data source: `spec.dataSource` (the old field, a local object) and `spec.dataSourceRef` (any
 * object, possibly in another namespace), kept consistent as pkg/api/persistentvolumeclaim and
 * ValidatePersistentVolumeClaimSpec do. Populators and provisioners read either, so both must agree.
 */
import { type FieldError, invalid, required } from '../errors';
import type { KObject } from '../registry/types';
import { dns1123Label, dns1123Subdomain } from './names';

const SNAPSHOT_GROUP = 'snapshot.storage.k8s.io';

const isSet = (v: unknown): v is KObject =>
  v !== undefined && v !== null && typeof v === 'object';
const group = (ref: KObject) => ref.apiGroup ?? '';
const hasNamespace = (ref: unknown) => isSet(ref) && !!ref.namespace;

/** The only data sources the `dataSource` field historically accepted: a claim or a VolumeSnapshot. */
function isClaimOrSnapshot(ref: KObject): boolean {
  return (
    (ref.kind === 'PersistentVolumeClaim' && group(ref) === '') ||
    (ref.kind === 'VolumeSnapshot' && group(ref) === SNAPSHOT_GROUP)
  );
}

function copyRef(ref: KObject): KObject {
  const out: KObject = { kind: ref.kind, name: ref.name };
  if (ref.apiGroup !== undefined && ref.apiGroup !== null)
    out.apiGroup = ref.apiGroup;
  return out;
}

/**
 * PrepareForCreate / PrepareForUpdate of claims: DropDisabledFields (CrossNamespaceVolumeDataSource is
 * off by default, so a new dataSourceRef naming a namespace is dropped), then
 * EnforceDataSourceBackwardsCompatibility (anything but a claim or snapshot in `dataSource` alone is
 * silently dropped, as old servers did), then NormalizeDataSources (each field filled from the other).
 */
export function prepareDataSources(spec: KObject, oldSpec?: KObject): void {
  const oldHadRef = isSet(oldSpec?.dataSourceRef);
  const oldHadAny = oldHadRef || isSet(oldSpec?.dataSource);
  if (hasNamespace(spec.dataSourceRef) && !oldHadRef) delete spec.dataSourceRef;
  if (!isSet(spec.dataSourceRef)) delete spec.dataSourceRef;
  if (!isSet(spec.dataSource)) delete spec.dataSource;
  if (!oldHadAny && !spec.dataSourceRef && spec.dataSource)
    if (!isClaimOrSnapshot(spec.dataSource)) delete spec.dataSource;
  if (spec.dataSource && !spec.dataSourceRef)
    spec.dataSourceRef = copyRef(spec.dataSource);
  else if (spec.dataSourceRef && !spec.dataSource)
    if (!hasNamespace(spec.dataSourceRef))
      spec.dataSource = copyRef(spec.dataSourceRef);
}

/** validateDataSource / validateDataSourceRef */
function validateRef(
  ref: KObject,
  path: string,
  allowInvalidGroup: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!ref.name) errs.push(required(`${path}.name`));
  if (!ref.kind) errs.push(required(`${path}.kind`));
  const g = String(group(ref));
  if (!g && ref.kind !== 'PersistentVolumeClaim')
    errs.push(
      invalid(
        path,
        ref.kind ?? '',
        "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
      ),
    );
  if (g && !allowInvalidGroup)
    for (const m of dns1123Subdomain(g))
      errs.push(invalid(`${path}.apiGroup`, g, m));
  if (ref.namespace)
    for (const m of dns1123Label(String(ref.namespace)))
      errs.push(invalid(`${path}.namespace`, ref.namespace, m));
  return errs;
}

/**
 * The data-source part of ValidatePersistentVolumeClaimSpec. `allowInvalidGroup` is the update-time
 * leniency for claims stored with an API group that later validation would refuse.
 */
export function validateDataSources(
  spec: KObject,
  allowInvalidGroup = false,
): FieldError[] {
  const ds = isSet(spec.dataSource) ? spec.dataSource : undefined;
  const ref = isSet(spec.dataSourceRef) ? spec.dataSourceRef : undefined;
  const errs: FieldError[] = [];
  if (ds) errs.push(...validateRef(ds, 'spec.dataSource', allowInvalidGroup));
  if (ref)
    errs.push(...validateRef(ref, 'spec.dataSourceRef', allowInvalidGroup));
  if (ref && hasNamespace(ref)) {
    if (ds)
      errs.push(
        invalid(
          'spec',
          'spec.dataSource',
          'may not be specified when dataSourceRef.namespace is specified',
        ),
      );
  } else if (ds && ref) {
    const same =
      (ds.apiGroup ?? null) === (ref.apiGroup ?? null) &&
      ds.kind === ref.kind &&
      ds.name === ref.name;
    if (!same)
      errs.push(invalid('spec', 'spec.dataSource', 'must match dataSourceRef'));
  }
  return errs;
}

/** ValidationOptionsForPersistentVolumeClaim: a stored claim with an API group keeps validating. */
export function storedWithApiGroup(oldSpec: KObject | undefined): boolean {
  return [oldSpec?.dataSource, oldSpec?.dataSourceRef].some(
    ref => isSet(ref) && ref.apiGroup !== undefined && ref.apiGroup !== null,
  );
}
