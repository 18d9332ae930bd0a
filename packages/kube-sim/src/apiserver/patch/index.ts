/** Applies a PATCH body of one of the supported media types to a JSON document. */
import { unsupportedMediaType } from '../errors';
import type { KindDescriptor } from '../registry/types';
import { jsonPatch } from './json';
import { jsonMergePatch } from './merge';
import { strategicMergePatch, type StrategicSchema } from './strategic';
import { parseJson } from '../rest/body';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

const METADATA_KEYS: Record<string, string> = {
  'metadata.ownerReferences': 'uid',
};

export function schemaOf(d: KindDescriptor | undefined): StrategicSchema {
  return {
    mergeKeys: { ...METADATA_KEYS, ...(d?.mergeKeys ?? {}) },
    mergePrimitiveLists: [
      'metadata.finalizers',
      ...(d?.mergePrimitiveLists ?? []),
    ],
  };
}

/** Media types accepted for a kind: custom resources have no strategic merge (no Go struct to read keys from). */
export function acceptedPatchTypes(d: KindDescriptor): string[] {
  return d.crd
    ? [JSON_PATCH, MERGE_PATCH]
    : [JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH];
}

export function applyPatchBody(
  contentType: string,
  original: unknown,
  body: Buffer | undefined,
  d: KindDescriptor,
  schema = schemaOf(d),
): unknown {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (!acceptedPatchTypes(d).includes(type))
    throw unsupportedMediaType(acceptedPatchTypes(d));
  const patch = parseJson(body);
  if (type === JSON_PATCH) return jsonPatch(original, patch);
  if (type === MERGE_PATCH) return jsonMergePatch(original, patch);
  return strategicMergePatch(original, patch, schema);
}
