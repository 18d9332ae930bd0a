/**
 * Custom resources served in several versions share one storage (the CRD's storage version). With the
 * conversion strategy None, converting is rewriting apiVersion: objects are stored in the storage version
 * and presented in the version of the request.
 */
import {
  apiVersionOf,
  type KindDescriptor,
  type KObject,
} from '../registry/types';
import { isPlainObject } from '../util';

export function toStorage(d: KindDescriptor, obj: KObject): KObject {
  if (d.crd && d.storageVersion && d.storageVersion !== d.version)
    obj.apiVersion = `${d.group}/${d.storageVersion}`;
  return obj;
}

/** The object (or list of objects) as the version `d` of the request shows it. */
export function present(d: KindDescriptor, body: unknown): unknown {
  if (!d.crd || !isPlainObject(body)) return body;
  if (body.kind === d.kind) return { ...body, apiVersion: apiVersionOf(d) };
  if (Array.isArray(body.items))
    return { ...body, items: body.items.map((i: KObject) => present(d, i)) };
  return body;
}
