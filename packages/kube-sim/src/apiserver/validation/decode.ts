/**
 * Typed fields the real server's JSON decoder refuses before any validation runs: a 400 "cannot be
 * handled as" instead of a 422, as a Go struct field of the wrong type or a malformed time never reaches
 * the validators there.
 */
import { badRequest } from '../errors';
import type { KindDescriptor, KObject } from '../registry/types';

type Kind = Pick<KindDescriptor, 'kind' | 'version'>;

export function cannotDecode(d: Kind, why: string): never {
  throw badRequest(
    `${d.kind} in version "${d.version}" cannot be handled as a ${d.kind}: ${why}`,
  );
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** An int32 field: absent, null or a whole number in range; `goField` is the struct and JSON path. */
export function checkInt32(
  d: Kind,
  v: unknown,
  goField: string,
): asserts v is number | undefined | null {
  if (v === undefined || v === null) return;
  if (typeof v !== 'number')
    cannotDecode(
      d,
      `json: cannot unmarshal ${jsonType(v)} into Go struct field ${goField} of type int32`,
    );
  if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31)
    cannotDecode(
      d,
      `json: cannot unmarshal number ${v} into Go struct field ${goField} of type int32`,
    );
}

export function checkString(d: Kind, v: unknown, goField: string): void {
  if (v === undefined || v === null || typeof v === 'string') return;
  cannotDecode(
    d,
    `json: cannot unmarshal ${jsonType(v)} into Go struct field ${goField} of type string`,
  );
}

export function checkBool(d: Kind, v: unknown, goField: string): void {
  if (v === undefined || v === null || typeof v === 'boolean') return;
  cannotDecode(
    d,
    `json: cannot unmarshal ${jsonType(v)} into Go struct field ${goField} of type bool`,
  );
}

const RFC3339_MICRO_LAYOUT = '2006-01-02T15:04:05.000000Z07:00';
const RFC3339_MICRO =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{6})(Z|[+-]\d{2}:\d{2})$/;

/**
 * metav1.MicroTime: decoded with exactly six fractional digits (time.Parse with RFC3339Micro), written
 * back in UTC. A plain JavaScript ISO string (three digits) is refused, as a real server refuses it.
 */
export function normalizeMicroTime(d: Kind, obj: KObject, key: string): void {
  const v = obj[key];
  if (v === undefined || v === null) return;
  const m = typeof v === 'string' ? RFC3339_MICRO.exec(v) : null;
  const ms = m ? Date.parse(`${m[1]}.${m[2].slice(0, 3)}${m[3]}`) : NaN;
  if (!m || Number.isNaN(ms))
    cannotDecode(
      d,
      `parsing time ${JSON.stringify(String(v))} as "${RFC3339_MICRO_LAYOUT}": cannot parse as RFC 3339 with microseconds`,
    );
  const utc = new Date(ms).toISOString();
  obj[key] = `${utc.slice(0, 19)}.${m[2]}Z`;
}
