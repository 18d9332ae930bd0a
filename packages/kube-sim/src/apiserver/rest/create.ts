/** POST: decode, default, admit, validate, store (the generic registry's Create). */
import type { UserInfo } from '../../contracts';
import { alreadyExists } from '../errors';
import type { KindDescriptor, KObject } from '../registry/types';
import {
  type ApiContext,
  gr,
  isDryRun,
  keyOf,
  type RestRequest,
  type RestResult,
} from './context';
import { decodeObject } from './body';
import { toStorage } from './versions';
import { checkFieldValidation } from './fieldvalidation';
import {
  bindNamespace,
  generateSuffix,
  prepareCreateMeta,
  validateCreate,
} from './objectmeta';

/** Creates an already-decoded object; used by POST and by the API server's own side effects. */
export function createObject(
  api: ApiContext,
  d: KindDescriptor,
  obj: KObject,
  opts: { dryRun?: boolean; user?: UserInfo } = {},
): KObject {
  prepareCreateMeta(d, obj);
  if (d.statusSubresource) delete obj.status;
  d.defaulter?.(obj, api.kindContext);
  d.beforeCreate?.(obj, api.kindContext);
  const attrs = { dryRun: !!opts.dryRun, user: opts.user };
  api.admission.admitCreate(d, obj, attrs);
  // PrepareForCreate runs after mutating admission: a pod's QoS class sees the LimitRanger's defaults
  const status = d.statusSubresource ? d.initialStatus?.(obj) : undefined;
  if (status !== undefined) obj.status = status;
  validateCreate(d, obj, api.kindContext);
  api.admission.validateCreate(d, obj, attrs);
  const key = keyOf(d);
  const ns = d.namespaced ? obj.metadata.namespace : undefined;
  if (api.store.get(key, ns, obj.metadata.name)) {
    // generateName collisions are retried with a new suffix, as the real server's create does internally
    if (
      obj.metadata.generateName &&
      obj.metadata.name.startsWith(obj.metadata.generateName)
    ) {
      for (let i = 0; i < 8 && api.store.get(key, ns, obj.metadata.name); i++)
        obj.metadata.name = `${obj.metadata.generateName}${generateSuffix()}`;
    }
    if (api.store.get(key, ns, obj.metadata.name))
      throw alreadyExists(gr(d), obj.metadata.name);
  }
  if (opts.dryRun) return obj;
  const stored = api.store.create(key, toStorage(d, obj));
  api.admission.afterCreate(d, stored);
  return stored;
}

export function handleCreate(
  api: ApiContext,
  d: KindDescriptor,
  req: RestRequest,
): RestResult {
  const obj = decodeObject(req.body, req.contentType, d);
  checkFieldValidation(d, obj, req.query);
  bindNamespace(d, obj, req.info.namespace);
  const created = createObject(api, d, obj, {
    dryRun: isDryRun(req.query),
    user: req.user,
  });
  return { code: 201, body: created };
}
