/** Kubernetes resource quantities (`10Gi`, `500M`, `1.5Ti`, `1e9`) in bytes. */
const SUFFIX: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** @public */
export function parseQuantity(
  q: string | number | undefined,
): number | undefined {
  if (q === undefined) return undefined;
  if (typeof q === 'number') return q;
  const m =
    /^([+-]?\d+(?:\.\d+)?)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E))?$/.exec(
      q.trim(),
    );
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return Math.ceil(base * 10 ** Number(m[2].slice(1)));
  return Math.ceil(base * SUFFIX[m[3] ?? '']);
}

/** @public */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Math.round(v * 10) / 10} ${units[i]}`;
}

const FRACTION_SUFFIX: Record<string, number> = { m: 1e-3, u: 1e-6, n: 1e-9 };

/**
 * Any resource quantity in base units, fractions kept (`100m` CPU is 0.1): for comparing and adding
 * requests and quota amounts, where parseQuantity's whole bytes would make 100m a whole core.
 *
 * @public
 */
export function quantityValue(
  q: string | number | undefined,
): number | undefined {
  if (q === undefined || typeof q === 'number') return q;
  const m = /^([+-]?\d+(?:\.\d+)?)(m|u|n)$/.exec(q.trim());
  if (m) return Number(m[1]) * FRACTION_SUFFIX[m[2]];
  const whole =
    /^([+-]?\d+(?:\.\d+)?)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E))?$/.exec(
      q.trim(),
    );
  if (!whole) return undefined;
  if (whole[2]) return Number(whole[1]) * 10 ** Number(whole[2].slice(1));
  return Number(whole[1]) * SUFFIX[whole[3] ?? ''];
}

/**
 * A quantity for a message: CPU in cores or millicores, bytes as formatBytes, counts as they are.
 *
 * @public
 */
export function formatAmount(resource: string, n: number): string {
  // `fast.storageclass.storage.k8s.io/persistentvolumeclaims` is a count, its `/requests.storage` bytes
  const kind = resource.split('/').pop() ?? '';
  if (/storage|memory/.test(kind)) return formatBytes(n);
  if (/cpu/.test(kind))
    return Number.isInteger(n) ? `${n}` : `${Math.round(n * 1000)}m`;
  return `${Math.round(n * 1000) / 1000}`;
}
