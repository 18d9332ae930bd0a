/** ObjectMeta handling on writes (k8s.io/apiserver/pkg/registry/rest BeforeCreate / BeforeUpdate). */
import { randomUUID } from 'node:crypto';
import { badRequest, invalidObject, type FieldError } from '../errors';
import type { KindContext, KindDescriptor, KObject } from '../registry/types';
import { deepEqual } from '../util';
import { dns1123Subdomain } from '../validation/names';
import {
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation/meta';
import { nowTimestamp } from './context';

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generateSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++)
    s +=
      GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
  return s;
}

/** The namespace of the URL wins; a different one in the body is a 400 as on the real server. */
export function bindNamespace(
  d: KindDescriptor,
  obj: KObject,
  urlNamespace: string | undefined,
): void {
  if (!d.namespaced) {
    if (obj.metadata.namespace) delete obj.metadata.namespace;
    return;
  }
  if (
    obj.metadata.namespace &&
    urlNamespace &&
    obj.metadata.namespace !== urlNamespace
  )
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  if (urlNamespace) obj.metadata.namespace = urlNamespace;
}

export function prepareCreateMeta(d: KindDescriptor, obj: KObject): void {
  const md = obj.metadata;
  if (md.resourceVersion)
    throw badRequest(
      'resourceVersion should not be set on objects to be created',
    );
  if (!md.name && md.generateName)
    md.name = `${md.generateName}${generateSuffix()}`;
  md.uid = randomUUID();
  md.creationTimestamp = nowTimestamp();
  delete md.deletionTimestamp;
  delete md.deletionGracePeriodSeconds;
  delete md.managedFields;
  delete md.selfLink;
  if (d.generation) md.generation = 1;
  else delete md.generation;
}

export function validateCreate(
  d: KindDescriptor,
  obj: KObject,
  ctx: KindContext,
): void {
  const errs: FieldError[] = [
    ...validateObjectMeta(obj, d.namespaced, d.nameCheck ?? dns1123Subdomain),
    ...(d.validate?.(obj, ctx) ?? []),
  ];
  if (errs.length)
    throw invalidObject(d.kind, d.group, obj.metadata?.name ?? '', errs);
}

export function validateUpdate(
  d: KindDescriptor,
  obj: KObject,
  old: KObject,
  ctx: KindContext,
): void {
  const errs: FieldError[] = [
    ...validateObjectMeta(obj, d.namespaced, d.nameCheck ?? dns1123Subdomain),
    ...validateObjectMetaUpdate(obj, old),
    ...(d.validateUpdate
      ? d.validateUpdate(obj, old, ctx)
      : (d.validate?.(obj, ctx) ?? [])),
  ];
  if (errs.length)
    throw invalidObject(d.kind, d.group, obj.metadata?.name ?? '', errs);
}

/** Carries over what a client cannot change through an update and bumps generation on spec changes. */
export function prepareUpdateMeta(obj: KObject, old: KObject): void {
  const md = obj.metadata;
  const om = old.metadata;
  md.uid ||= om.uid;
  md.creationTimestamp = om.creationTimestamp;
  if (om.deletionTimestamp) md.deletionTimestamp = om.deletionTimestamp;
  else delete md.deletionTimestamp;
  if (om.deletionGracePeriodSeconds !== undefined)
    md.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
  else delete md.deletionGracePeriodSeconds;
  delete md.managedFields;
  delete md.selfLink;
  if (om.generation !== undefined) md.generation = om.generation;
  else delete md.generation;
  if (md.generateName === undefined && om.generateName !== undefined)
    md.generateName = om.generateName;
}

/** Everything but metadata and status: what the generation counts changes of. */
function specPart(o: KObject): KObject {
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
}

export function bumpGeneration(
  d: KindDescriptor,
  obj: KObject,
  old: KObject,
): void {
  if (!d.generation) return;
  const deleting =
    !old.metadata.deletionTimestamp && obj.metadata.deletionTimestamp;
  if (!deepEqual(specPart(obj), specPart(old)) || deleting)
    obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
}

/** The generic store's ShouldDeleteDuringUpdate, plus the kind's own condition (Namespace spec.finalizers). */
export function shouldDeleteDuringUpdate(
  d: KindDescriptor,
  obj: KObject,
  old: KObject,
): boolean {
  if ((obj.metadata.finalizers ?? []).length) return false;
  if (!old.metadata.deletionTimestamp) return false;
  const grace = old.metadata.deletionGracePeriodSeconds;
  if (grace !== undefined && grace !== 0) return false;
  return d.canFinalize ? d.canFinalize(obj) : true;
}
