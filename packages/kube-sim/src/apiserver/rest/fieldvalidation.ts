/**
 * fieldValidation=Strict (what kubectl sends by default): fields a custom resource's schema does not
 * declare are an error instead of being silently pruned. Built-in kinds have no schema here, so they are
 * decoded leniently, as with fieldValidation=Ignore.
 */
import { badRequest } from '../errors';
import type { KindDescriptor, KObject } from '../registry/types';
import { unknownFields } from '../validation/schema';

export function checkFieldValidation(
  d: KindDescriptor,
  obj: KObject,
  q: URLSearchParams,
): void {
  if (q.get('fieldValidation') !== 'Strict' || !d.schema) return;
  const unknown = unknownFields(obj, d.schema);
  if (unknown.length)
    throw badRequest(
      `strict decoding error: ${unknown.map(f => `unknown field "${f}"`).join(', ')}`,
    );
}
