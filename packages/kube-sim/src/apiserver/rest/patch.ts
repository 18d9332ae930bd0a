/** PATCH of a resource or its status: the patched document then takes the update path like a PUT. */
import { badRequest } from '../errors';
import {
  apiVersionOf,
  type KindDescriptor,
  type KObject,
} from '../registry/types';
import { applyPatchBody } from '../patch';
import { isPlainObject } from '../util';
import {
  type ApiContext,
  isDryRun,
  type RestRequest,
  type RestResult,
} from './context';
import { getObject } from './read';
import { present } from './versions';
import { checkFieldValidation } from './fieldvalidation';
import { updateObject, type UpdateTarget } from './update';

export function handlePatch(
  api: ApiContext,
  d: KindDescriptor,
  req: RestRequest,
  target: UpdateTarget,
): RestResult {
  const old = getObject(api, d, req.info.namespace, req.info.name!);
  const patched = applyPatchBody(req.contentType, present(d, old), req.body, d);
  if (!isPlainObject(patched) || !isPlainObject(patched.metadata))
    throw badRequest('the patch produced an object without metadata');
  const obj = patched as KObject;
  checkFieldValidation(d, obj, req.query);
  if (obj.apiVersion !== apiVersionOf(d) || obj.kind !== d.kind)
    throw badRequest(
      `the API version or kind in the patched object (${obj.apiVersion}, ${obj.kind}) does not match the URL (${apiVersionOf(d)}, ${d.kind})`,
    );
  return {
    code: 200,
    body: updateObject(api, d, target, obj, old, {
      dryRun: isDryRun(req.query),
      user: req.user,
    }),
  };
}
