/** JSON merge patch (RFC 7386): objects merge recursively, null deletes, everything else replaces. */
import { isPlainObject } from '../util';

export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isPlainObject(target)
    ? structuredClone(target)
    : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = jsonMergePatch(out[k], v);
  }
  return out;
}
