/** Parsing helpers for the numbers movers print. */

/** `1,234,567` → 1234567 */
export function parseGroupedInt(text: string): number {
  return Number(text.replace(/,/g, ''));
}

const UNIT: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** `336.22MB/s`, `12.5 KiB/s`, `0.00kB/s` → bytes per second (these tools use binary prefixes) */
export function parseRate(text: string): number | undefined {
  const m = /^([\d.]+)\s*([a-z]*)(?:\/s)?$/i.exec(text.trim());
  if (!m) return undefined;
  const factor = UNIT[m[2].toLowerCase()];
  return factor === undefined ? undefined : Number(m[1]) * factor;
}

/** `1:02:03` or `0:00:10` → seconds */
export function parseClock(text: string): number | undefined {
  const parts = text.split(':').map(Number);
  if (parts.some(n => Number.isNaN(n))) return undefined;
  return parts.reduce((acc, n) => acc * 60 + n, 0);
}
