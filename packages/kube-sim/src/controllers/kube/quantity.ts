/**
 * resource.Quantity parsing to a number of base units (bytes for storage). Binary (Ki, Mi, ...) and
 * decimal (k, M, ...) suffixes and exponents as the API accepts them; throws on anything else so that a
 * bad request is not silently read as 0.
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

export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined || q === '') throw new Error('empty quantity');
  if (typeof q === 'number') return q;
  const m =
    /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/.exec(
      q.trim(),
    );
  if (!m) throw new Error(`invalid quantity ${JSON.stringify(q)}`);
  const n = Number(m[1]);
  if (m[2]) return n * 10 ** Number(m[2].slice(1));
  return n * SUFFIX[m[3] ?? ''];
}

export function tryParseQuantity(
  q: string | number | undefined,
): number | undefined {
  try {
    return parseQuantity(q);
  } catch {
    return undefined;
  }
}
