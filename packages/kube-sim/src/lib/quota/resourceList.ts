/**
 * Resource lists as the quota code of the real API server handles them (k8s.io/apiserver/pkg/quota/v1):
 * exact arithmetic on quantities, and each quantity printed in its canonical form (`2Gi`, `500m`, `1k`)
 * because the refusal messages show them. Values are kept in nano-units as bigints so that `0.1 + 0.2`
 * CPU or exabyte sums stay exact, as resource.Quantity's scaled integers do.
 */

export interface Quantity {
  /** the value times 10^9 */
  nanos: bigint;
  /** printed with a binary suffix (Ki, Mi, ...) when it can be; otherwise as a decimal (m, k, M, ...) */
  binary: boolean;
}

export type ResourceList = Record<string, Quantity>;

const NANO = 1_000_000_000n;
const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const DECIMAL_EXPONENT: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const QUANTITY =
  /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

const pow10 = (e: number) => 10n ** BigInt(e);

/** Divides rounding away from zero, as resource.Quantity rounds values finer than a nano-unit up. */
function divideUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d === n ? q : q + (n < 0n ? -1n : 1n);
}

/** A quantity string as the API accepts it; throws on anything else. */
export function parseQuantity(text: string | number): Quantity {
  const s = String(text).trim();
  const m = QUANTITY.exec(s);
  if (!m || (!m[2] && !m[3]))
    throw new Error(`invalid quantity ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = '', exponent, suffix = ''] = m;
  let scaled = BigInt(`${whole || '0'}${fraction}`) * NANO;
  let divisor = pow10(fraction.length);
  if (BINARY[suffix]) scaled *= BINARY[suffix];
  const e = exponent
    ? Number(exponent.slice(1))
    : (DECIMAL_EXPONENT[suffix] ?? 0);
  if (e >= 0) scaled *= pow10(e);
  else divisor *= pow10(-e);
  const nanos = divideUp(scaled, divisor);
  return { nanos: sign === '-' ? -nanos : nanos, binary: !!BINARY[suffix] };
}

export const count = (n: number): Quantity => ({
  nanos: BigInt(n) * NANO,
  binary: false,
});

const DECIMAL_SUFFIX = ['n', 'u', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E'];
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** resource.Quantity.String(): the canonical form, binary only for whole numbers of at least 1024. */
export function formatQuantity(q: Quantity): string {
  const { nanos } = q;
  const abs = nanos < 0n ? -nanos : nanos;
  if (q.binary && nanos % NANO === 0n && abs >= 1024n * NANO) {
    let units = nanos / NANO;
    let i = 0;
    while (i < BINARY_SUFFIX.length - 1 && units % 1024n === 0n) {
      units /= 1024n;
      i++;
    }
    return `${units}${BINARY_SUFFIX[i]}`;
  }
  if (nanos === 0n) return '0';
  let mantissa = nanos;
  let i = 0;
  while (i < DECIMAL_SUFFIX.length - 1 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    i++;
  }
  return `${mantissa}${DECIMAL_SUFFIX[i]}`;
}

/** A list from an object's `{cpu: "100m", ...}`; entries that are not quantities are left out. */
export function parseResourceList(raw: unknown): ResourceList {
  const out: ResourceList = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    try {
      out[k] = parseQuantity(v);
    } catch {
      // validation refuses such objects; a stored one must not break the arithmetic
    }
  }
  return out;
}

export function formatResourceList(list: ResourceList): Record<string, string> {
  return Object.fromEntries(
    Object.keys(list)
      .sort()
      .map(k => [k, formatQuantity(list[k])]),
  );
}

/** Quantity.Add: the sum keeps the first operand's format unless that one is zero. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return {
    nanos: a.nanos + b.nanos,
    binary: a.nanos === 0n ? b.binary : a.binary,
  };
}

export function add(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, v] of Object.entries(b))
    out[k] = out[k] ? addQuantity(out[k], v) : v;
  return out;
}

/** a - b per resource, never below zero (quota.SubtractWithNonNegativeResult). */
export function subtractNonNegative(
  a: ResourceList,
  b: ResourceList,
): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(a)) {
    const nanos = v.nanos - (b[k]?.nanos ?? 0n);
    out[k] = { nanos: nanos < 0n ? 0n : nanos, binary: v.binary };
  }
  return out;
}

export function mask(
  list: ResourceList,
  names: Iterable<string>,
): ResourceList {
  const out: ResourceList = {};
  for (const n of names) if (list[n]) out[n] = list[n];
  return out;
}

export const isZero = (list: ResourceList) =>
  Object.values(list).every(q => q.nanos === 0n);

/** The resources of `a` that are above their value in `b` (those missing from `b` are unlimited). */
export function exceeded(a: ResourceList, b: ResourceList): string[] {
  return Object.keys(a)
    .filter(k => b[k] && a[k].nanos > b[k].nanos)
    .sort();
}

/** `limits.cpu=1,requests.cpu=500m`: sorted, as the quota admission's prettyPrint. */
export function prettyPrint(list: ResourceList): string {
  return Object.keys(list)
    .sort()
    .map(k => `${k}=${formatQuantity(list[k])}`)
    .join(',');
}
