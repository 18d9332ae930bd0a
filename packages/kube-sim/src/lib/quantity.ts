/**
 * resource.Quantity parsing to a number of base units (bytes for storage, cores for CPU). Binary (Ki,
 * Mi, ...) and decimal (k, M, ...) suffixes and exponents as the API accepts them. The API server uses
 * it to reject malformed values; controllers use it to compare sizes, where a bad value must not be
 * silently read as 0.
 */
const SUFFIX: Record<string, number> = {
  '': 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};
const QUANTITY =
  /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** The message the real server gives for a value that is not a quantity. */
export const QUANTITY_MESSAGE =
  "must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** The value in base units; throws on anything that is not a quantity. */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number') return q;
  if (q === undefined || q === '') throw new Error('empty quantity');
  const m = typeof q === 'string' ? QUANTITY.exec(q.trim()) : null;
  if (!m) throw new Error(`invalid quantity ${JSON.stringify(q)}`);
  const n = Number(m[1]);
  if (m[2]) return n * 10 ** Number(m[2].slice(1));
  return n * SUFFIX[m[3] ?? ''];
}

/** The value in base units, or undefined when it is missing or not a quantity. */
export function tryParseQuantity(q: unknown): number | undefined {
  try {
    return parseQuantity(q);
  } catch {
    return undefined;
  }
}
