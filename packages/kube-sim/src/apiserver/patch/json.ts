/** JSON patch (RFC 6902) through fast-json-patch, with the real server's split between 400 and 422. */
import { applyPatch, JsonPatchError, type Operation } from 'fast-json-patch';
import { badRequest, failure } from '../errors';

// Errors in the shape of the patch document itself: decoding failures (400) on the real server.
const MALFORMED = new Set([
  'SEQUENCE_NOT_AN_ARRAY',
  'OPERATION_NOT_AN_OBJECT',
  'OPERATION_OP_INVALID',
  'OPERATION_PATH_INVALID',
  'OPERATION_FROM_REQUIRED',
  'OPERATION_VALUE_REQUIRED',
  'OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED',
]);

export function jsonPatch(original: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw badRequest(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  try {
    return applyPatch(
      structuredClone(original),
      ops as Operation[],
      true,
      false,
    ).newDocument;
  } catch (e) {
    if (e instanceof JsonPatchError) {
      const message = e.message.split('\n')[0];
      if (MALFORMED.has(e.name)) throw badRequest(message);
      throw failure(422, 'Invalid', message, {
        causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }],
      });
    }
    throw e;
  }
}
