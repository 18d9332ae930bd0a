/**
 * Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch) driven by the kind's merge keys
 * instead of Go struct tags: lists with a merge key merge element-wise, other lists are replaced, and the
 * directives $patch (replace/delete/merge), $retainKeys, $setElementOrder/<list> and
 * $deleteFromPrimitiveList/<list> are honoured.
 */
import { badRequest, failure } from '../errors';
import { isPlainObject } from '../util';

export interface StrategicSchema {
  /** dotted path (list elements as `[]`) → merge key; '' means "replace" */
  mergeKeys: Record<string, string>;
  /** lists of primitives with patchStrategy "merge" (metadata.finalizers) */
  mergePrimitiveLists: string[];
}

type Json = unknown;
type Obj = Record<string, unknown>;

const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v))
    return v
      .filter(e => !(isPlainObject(e) && e.$patch === 'delete'))
      .map(stripDirectives);
  if (!isPlainObject(v)) return v;
  const out: Obj = {};
  for (const [k, val] of Object.entries(v)) {
    if (
      k === '$patch' ||
      k === '$retainKeys' ||
      k.startsWith(SET_ORDER) ||
      k.startsWith(DELETE_PRIMITIVE)
    )
      continue;
    if (val === null) continue;
    out[k] = stripDirectives(val);
  }
  return out;
}

function mergeKeyedList(
  original: Json[],
  patch: Json[],
  key: string,
  path: string,
  schema: StrategicSchema,
): Json[] {
  if (patch.some(e => isPlainObject(e) && e.$patch === 'replace'))
    return patch
      .filter(e => !(isPlainObject(e) && e.$patch === 'replace'))
      .map(stripDirectives);
  const result = original.map(e => structuredClone(e));
  for (const item of patch) {
    if (!isPlainObject(item)) {
      throw failure(
        422,
        'Invalid',
        `unable to find api field in struct for the list element at ${path}`,
      );
    }
    if (!(key in item))
      throw badRequest(
        `map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`,
      );
    const idx = result.findIndex(e => isPlainObject(e) && e[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) result.splice(idx, 1);
      continue;
    }
    if (idx >= 0)
      result[idx] = mergeObject(result[idx], item, `${path}[]`, schema);
    else result.push(stripDirectives(item));
  }
  return result;
}

function applyElementOrder(
  list: Json[],
  order: Json[],
  key: string | undefined,
): Json[] {
  const id = (e: Json) => (key && isPlainObject(e) ? e[key] : e);
  const ordered: Json[] = [];
  for (const o of order) {
    const want = key && isPlainObject(o) ? o[key] : o;
    const found = list.find(e => id(e) === want);
    if (found !== undefined && !ordered.includes(found)) ordered.push(found);
  }
  for (const e of list) if (!ordered.includes(e)) ordered.push(e);
  return ordered;
}

function mergeObject(
  original: Json,
  patch: Obj,
  path: string,
  schema: StrategicSchema,
): Json {
  if (patch.$patch === 'replace') return stripDirectives(patch);
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch !== undefined && patch.$patch !== 'merge')
    throw badRequest(
      `Unknown patch type: ${String(patch.$patch)} in map: ${JSON.stringify(patch)}`,
    );
  const out: Obj = isPlainObject(original) ? structuredClone(original) : {};
  const orders: [string, Json[]][] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys') continue;
    if (k.startsWith(SET_ORDER)) {
      if (!Array.isArray(v))
        throw badRequest(`invalid patch: ${k} must be a list`);
      orders.push([k.slice(SET_ORDER.length), v]);
      continue;
    }
    if (k.startsWith(DELETE_PRIMITIVE)) {
      const list = k.slice(DELETE_PRIMITIVE.length);
      if (!Array.isArray(v))
        throw badRequest(`invalid patch: ${k} must be a list`);
      if (Array.isArray(out[list]))
        out[list] = (out[list] as Json[]).filter(e => !v.includes(e));
      continue;
    }
    const sub = join(path, k);
    if (v === null) {
      delete out[k];
    } else if (Array.isArray(v)) {
      const key = schema.mergeKeys[sub];
      if (key)
        out[k] = mergeKeyedList(
          Array.isArray(out[k]) ? (out[k] as Json[]) : [],
          v,
          key,
          sub,
          schema,
        );
      else if (schema.mergePrimitiveLists.includes(sub)) {
        const cur = Array.isArray(out[k]) ? [...(out[k] as Json[])] : [];
        for (const e of v) if (!cur.includes(e)) cur.push(e);
        out[k] = cur;
      } else out[k] = stripDirectives(v);
    } else if (isPlainObject(v)) {
      const merged = mergeObject(out[k], v, sub, schema);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else {
      out[k] = v;
    }
  }
  for (const [list, order] of orders) {
    if (Array.isArray(out[list]))
      out[list] = applyElementOrder(
        out[list] as Json[],
        order,
        schema.mergeKeys[join(path, list)],
      );
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

export function strategicMergePatch(
  original: Json,
  patch: Json,
  schema: StrategicSchema,
): Json {
  if (!isPlainObject(patch))
    throw badRequest(
      'the body of the request could not be decoded: strategic merge patch must be a JSON object',
    );
  const out = mergeObject(original, patch, '', schema);
  return out === undefined ? {} : out;
}
