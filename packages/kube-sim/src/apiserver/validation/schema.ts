/**
 * What a structural openAPIV3Schema does to a custom resource: defaulting, pruning of unknown fields and
 * validation of type/required/enum/bounds/pattern, with the apiextensions-apiserver's error shapes.
 */
import { type FieldError, invalid, notSupported, required } from '../errors';
import type { KObject } from '../registry/types';
import { isPlainObject } from '../util';

type Schema = KObject;

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(type: string, v: unknown): boolean {
  const t = typeOf(v);
  if (type === 'number') return t === 'number' || t === 'integer';
  return t === type;
}

/** Applies `default`s of absent properties (structural defaulting), recursively. */
export function applyDefaults(v: unknown, s: Schema | undefined): void {
  if (!s) return;
  if (isPlainObject(v)) {
    for (const [k, ps] of Object.entries(
      (s.properties ?? {}) as Record<string, Schema>,
    )) {
      if (v[k] === undefined && ps.default !== undefined)
        v[k] = structuredClone(ps.default);
      applyDefaults(v[k], ps);
    }
    if (isPlainObject(s.additionalProperties))
      for (const val of Object.values(v))
        applyDefaults(val, s.additionalProperties);
  } else if (Array.isArray(v) && s.items)
    for (const e of v) applyDefaults(e, s.items);
}

/** Drops fields the schema does not know, unless it preserves unknown fields there. */
export function prune(
  v: unknown,
  s: Schema | undefined,
  path = '',
  removed: string[] = [],
): string[] {
  if (!s) return removed;
  // Preserving unknown fields keeps them, but the fields the schema does describe are still pruned inside.
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (isPlainObject(v)) {
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const k of Object.keys(v)) {
      const sub = path ? `${path}.${k}` : k;
      if (props[k]) prune(v[k], props[k], sub, removed);
      else if (isPlainObject(s.additionalProperties))
        prune(v[k], s.additionalProperties, sub, removed);
      else if (!preserve && s.additionalProperties !== true) {
        delete v[k];
        removed.push(sub);
      }
    }
  } else if (Array.isArray(v) && s.items)
    v.forEach((e, i) => prune(e, s.items, `${path}[${i}]`, removed));
  return removed;
}

const ROOT_META = {
  apiVersion: {},
  kind: {},
  metadata: { 'x-kubernetes-preserve-unknown-fields': true },
};

/** The fields pruning would drop: what fieldValidation=Strict refuses. */
export function unknownFields(obj: KObject, schema: Schema): string[] {
  return prune(structuredClone(obj), {
    ...schema,
    properties: { ...(schema.properties ?? {}), ...ROOT_META },
  });
}

export function validateValue(
  v: unknown,
  s: Schema | undefined,
  path: string,
  errs: FieldError[],
): void {
  if (!s) return;
  if (v === null) {
    if (!s.nullable)
      errs.push(
        invalid(
          path,
          'null',
          `${path} in body must be of type ${s.type ?? 'object'}: "null"`,
        ),
      );
    return;
  }
  if (s['x-kubernetes-int-or-string']) {
    if (!['integer', 'string'].includes(typeOf(v)))
      errs.push(
        invalid(path, v, `${path} in body must be of type integer-or-string`),
      );
    return;
  }
  if (s.type && !typeMatches(s.type, v)) {
    errs.push(
      invalid(
        path,
        typeOf(v) === 'integer' ? 'number' : typeOf(v),
        `${path} in body must be of type ${s.type}: "${typeOf(v) === 'integer' ? 'number' : typeOf(v)}"`,
      ),
    );
    return;
  }
  if (Array.isArray(s.enum) && !s.enum.some((e: unknown) => e === v))
    errs.push(notSupported(path, v, s.enum.map(String)));
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum)
      errs.push(
        invalid(
          path,
          v,
          `${path} in body should be greater than or equal to ${s.minimum}`,
        ),
      );
    if (s.maximum !== undefined && v > s.maximum)
      errs.push(
        invalid(
          path,
          v,
          `${path} in body should be less than or equal to ${s.maximum}`,
        ),
      );
  }
  if (typeof v === 'string') {
    if (s.minLength !== undefined && v.length < s.minLength)
      errs.push(
        invalid(
          path,
          v,
          `${path} in body should be at least ${s.minLength} chars long`,
        ),
      );
    if (s.maxLength !== undefined && v.length > s.maxLength)
      errs.push({
        type: 'FieldValueTooLong',
        field: path,
        detail: `may not be longer than ${s.maxLength}`,
      });
    if (s.pattern && !new RegExp(s.pattern).test(v))
      errs.push(
        invalid(path, v, `${path} in body should match '${s.pattern}'`),
      );
  }
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems)
      errs.push(
        invalid(
          path,
          v.length,
          `${path} in body should have at least ${s.minItems} items`,
        ),
      );
    if (s.maxItems !== undefined && v.length > s.maxItems)
      errs.push({
        type: 'FieldValueTooLong',
        field: path,
        detail: `must have at most ${s.maxItems} items`,
      });
    v.forEach((e, i) => validateValue(e, s.items, `${path}[${i}]`, errs));
  }
  if (isPlainObject(v)) {
    for (const r of (s.required ?? []) as string[])
      if (v[r] === undefined) errs.push(required(join(path, r)));
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const [k, val] of Object.entries(v)) {
      if (props[k]) validateValue(val, props[k], join(path, k), errs);
      else if (isPlainObject(s.additionalProperties))
        validateValue(val, s.additionalProperties, join(path, k), errs);
    }
  }
}

/** Validates everything but apiVersion, kind and metadata, which the server handles itself. */
export function validateCustomResource(
  obj: KObject,
  schema: Schema,
): FieldError[] {
  const errs: FieldError[] = [];
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  for (const r of (schema.required ?? []) as string[])
    if (obj[r] === undefined) errs.push(required(r));
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
    validateValue(v, props[k], k, errs);
  }
  return errs;
}

/** Defaulting and pruning of a whole custom resource, keeping apiVersion, kind and metadata. */
export function structuralize(obj: KObject, schema: Schema): void {
  const { apiVersion, kind, metadata } = obj;
  applyDefaults(obj, schema);
  prune(obj, {
    ...schema,
    properties: { ...(schema.properties ?? {}), ...ROOT_META },
  });
  Object.assign(obj, { apiVersion, kind, metadata });
}
