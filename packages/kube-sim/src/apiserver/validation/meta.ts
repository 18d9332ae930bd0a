/** ObjectMeta validation shared by every kind (ValidateObjectMeta / ValidateObjectMetaUpdate). */
import { type FieldError, forbiddenField, invalid, required } from '../errors';
import type { KObject } from '../registry/types';
import { type NameCheck, labelValue, qualifiedName } from './names';

const TOTAL_ANNOTATION_BYTES = 256 * 1024;

export function validateLabels(labels: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (labels === undefined || labels === null) return errs;
  if (typeof labels !== 'object' || Array.isArray(labels))
    return [invalid(field, labels, 'must be a map')];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    for (const m of qualifiedName(k)) errs.push(invalid(field, k, m));
    if (typeof v !== 'string')
      errs.push(invalid(`${field}`, v, 'must be a string'));
    else for (const m of labelValue(v)) errs.push(invalid(field, v, m));
  }
  return errs;
}

function validateAnnotations(ann: unknown, field: string): FieldError[] {
  if (ann === undefined || ann === null) return [];
  if (typeof ann !== 'object' || Array.isArray(ann))
    return [invalid(field, ann, 'must be a map')];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(ann as Record<string, unknown>)) {
    for (const m of qualifiedName(k.toLowerCase()))
      errs.push(invalid(field, k, m));
    size += k.length + (typeof v === 'string' ? v.length : 0);
  }
  if (size > TOTAL_ANNOTATION_BYTES)
    errs.push({
      type: 'FieldValueTooLong',
      field,
      detail: `must have at most ${TOTAL_ANNOTATION_BYTES} bytes`,
    });
  return errs;
}

export function validateObjectMeta(
  obj: KObject,
  namespaced: boolean,
  nameCheck: NameCheck,
): FieldError[] {
  const md = obj.metadata ?? {};
  const errs: FieldError[] = [];
  if (!md.name)
    errs.push(required('metadata.name', 'name or generateName is required'));
  else
    for (const m of nameCheck(md.name))
      errs.push(invalid('metadata.name', md.name, m));
  if (namespaced && !md.namespace) errs.push(required('metadata.namespace'));
  if (!namespaced && md.namespace)
    errs.push(forbiddenField('metadata.namespace', 'not allowed on this type'));
  errs.push(...validateLabels(md.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(md.annotations, 'metadata.annotations'));
  if (md.finalizers !== undefined) {
    if (!Array.isArray(md.finalizers))
      errs.push(
        invalid('metadata.finalizers', md.finalizers, 'must be a list'),
      );
    else
      md.finalizers.forEach((f: unknown, i: number) => {
        if (typeof f !== 'string')
          errs.push(
            invalid(`metadata.finalizers[${i}]`, f, 'must be a string'),
          );
        else
          for (const m of qualifiedName(f))
            errs.push(invalid(`metadata.finalizers[${i}]`, f, m));
      });
  }
  for (const [i, ref] of (Array.isArray(md.ownerReferences)
    ? md.ownerReferences
    : []
  ).entries()) {
    const p = `metadata.ownerReferences[${i}]`;
    if (!ref?.apiVersion)
      errs.push(
        invalid(
          `${p}.apiVersion`,
          ref?.apiVersion ?? '',
          'version must not be empty',
        ),
      );
    if (!ref?.kind)
      errs.push(
        invalid(`${p}.kind`, ref?.kind ?? '', 'kind must not be empty'),
      );
    if (!ref?.name)
      errs.push(
        invalid(`${p}.name`, ref?.name ?? '', 'name must not be empty'),
      );
    if (!ref?.uid)
      errs.push(invalid(`${p}.uid`, ref?.uid ?? '', 'uid must not be empty'));
  }
  const controllers = (
    Array.isArray(md.ownerReferences) ? md.ownerReferences : []
  ).filter((r: KObject) => r?.controller === true);
  if (controllers.length > 1)
    errs.push(
      invalid(
        'metadata.ownerReferences',
        md.ownerReferences,
        'Only one reference can have Controller set to true',
      ),
    );
  return errs;
}

export function validateObjectMetaUpdate(
  obj: KObject,
  old: KObject,
): FieldError[] {
  const errs: FieldError[] = [];
  const md = obj.metadata ?? {};
  const om = old.metadata ?? {};
  if (md.name !== om.name)
    errs.push(invalid('metadata.name', md.name, 'field is immutable'));
  if ((md.namespace ?? '') !== (om.namespace ?? ''))
    errs.push(
      invalid('metadata.namespace', md.namespace, 'field is immutable'),
    );
  if (md.uid && md.uid !== om.uid)
    errs.push(invalid('metadata.uid', md.uid, 'field is immutable'));
  if (md.creationTimestamp && md.creationTimestamp !== om.creationTimestamp)
    errs.push(
      invalid(
        'metadata.creationTimestamp',
        md.creationTimestamp,
        'field is immutable',
      ),
    );
  if (om.deletionTimestamp) {
    const added = (md.finalizers ?? []).filter(
      (f: string) => !(om.finalizers ?? []).includes(f),
    );
    if (added.length)
      errs.push(
        forbiddenField(
          'metadata.finalizers',
          `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
        ),
      );
  }
  return errs;
}
