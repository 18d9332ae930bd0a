/**
 * PUT of the main resource and of the status/finalize subresources, and the shared update path that patch,
 * scale and binding go through (the generic registry's Update with its strategies).
 */
import type { UserInfo } from '../../contracts';
import { badRequest, conflict, notFound, STALE_OBJECT } from '../errors';
import { createObject } from './create';
import type { KindDescriptor, KObject } from '../registry/types';
import { deepEqual } from '../util';
import {
  type ApiContext,
  gr,
  isDryRun,
  keyOf,
  type RestRequest,
  type RestResult,
} from './context';
import { decodeObject } from './body';
import { getObject } from './read';
import {
  bindNamespace,
  bumpGeneration,
  prepareUpdateMeta,
  shouldDeleteDuringUpdate,
  validateUpdate,
} from './objectmeta';
import { removeNow } from './delete';
import { toStorage } from './versions';
import { checkFieldValidation } from './fieldvalidation';

export type UpdateTarget = 'main' | 'status' | 'finalize';

/** Applies the strategy of `target` to a client's new object, given the stored one. */
function applyStrategy(
  d: KindDescriptor,
  target: UpdateTarget,
  obj: KObject,
  old: KObject,
): KObject {
  if (target === 'status') {
    // ResetObjectMetaForStatus + the status strategies: only .status comes from the client.
    const next = structuredClone(old);
    next.metadata.resourceVersion = obj.metadata.resourceVersion;
    if (obj.status === undefined) delete next.status;
    else next.status = obj.status;
    return next;
  }
  if (target === 'finalize') {
    const next = structuredClone(old);
    next.metadata.resourceVersion = obj.metadata.resourceVersion;
    next.spec = {
      ...(next.spec ?? {}),
      finalizers: obj.spec?.finalizers ?? [],
    };
    return next;
  }
  if (d.statusSubresource) {
    if (old.status === undefined) delete obj.status;
    else obj.status = old.status;
  }
  d.prepareForUpdate?.(obj, old);
  return obj;
}

export interface UpdateOptions {
  dryRun?: boolean;
  user?: UserInfo;
  /** the patch path has already checked rv against the object it patched */
  skipPreconditions?: boolean;
}

/** The whole update path for an object the client sent for (namespace, name). */
export function updateObject(
  api: ApiContext,
  d: KindDescriptor,
  target: UpdateTarget,
  incoming: KObject,
  old: KObject,
  opts: UpdateOptions = {},
): KObject {
  const name = old.metadata.name;
  const rv = incoming.metadata?.resourceVersion;
  if (rv && rv !== old.metadata.resourceVersion)
    throw conflict(gr(d), name, STALE_OBJECT);
  let obj = applyStrategy(d, target, structuredClone(incoming), old);
  prepareUpdateMeta(obj, old);
  if (target === 'main') d.defaulter?.(obj, api.kindContext);
  const attrs = {
    dryRun: !!opts.dryRun,
    user: opts.user,
    subresource: target === 'main' ? undefined : target,
  };
  api.admission.admitUpdate(d, obj, old, attrs);
  validateUpdate(d, obj, old, api.kindContext);
  api.admission.validateUpdate(d, obj, old, attrs);
  if (shouldDeleteDuringUpdate(d, obj, old)) {
    if (opts.dryRun) return obj;
    return removeNow(api, d, obj);
  }
  obj.metadata.resourceVersion = old.metadata.resourceVersion;
  toStorage(d, obj);
  bumpGeneration(d, obj, old);
  // A no-op write keeps the resourceVersion and produces no watch event, as etcd3's GuaranteedUpdate.
  if (deepEqual(obj, old)) return old;
  if (opts.dryRun) return obj;
  obj = api.store.update(keyOf(d), obj, old);
  api.admission.afterUpdate(d, obj, old);
  return obj;
}

export function handleUpdate(
  api: ApiContext,
  d: KindDescriptor,
  req: RestRequest,
  target: UpdateTarget,
): RestResult {
  const obj = decodeObject(req.body, req.contentType, d);
  checkFieldValidation(d, obj, req.query);
  const name = req.info.name!;
  if (obj.metadata.name !== name)
    throw badRequest(
      `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
    );
  obj.metadata.name = name;
  bindNamespace(d, obj, req.info.namespace);
  if (
    d.allowCreateOnUpdate &&
    target === 'main' &&
    !api.store.get(
      keyOf(d),
      d.namespaced ? req.info.namespace : undefined,
      name,
    )
  ) {
    if (obj.metadata.resourceVersion) throw notFound(gr(d), name);
    return {
      code: 201,
      body: createObject(api, d, obj, {
        dryRun: isDryRun(req.query),
        user: req.user,
      }),
    };
  }
  const old = getObject(api, d, req.info.namespace, name);
  return {
    code: 200,
    body: updateObject(api, d, target, obj, old, {
      dryRun: isDryRun(req.query),
      user: req.user,
    }),
  };
}
