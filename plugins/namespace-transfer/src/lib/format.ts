/*
 * How the portal writes sizes, rates and durations: binary units as `kubectl` and the engine's logs use
 * them, so a figure on screen matches the one in a terminal.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** e.g. `1.5 GiB`; `–` for an unknown figure */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '–';
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** e.g. `12.3 MiB/s` */
export function formatRate(bytesPerSecond: number | undefined): string {
  if (bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond)) {
    return '–';
  }
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** e.g. `2 h 5 min`, `3 min 20 s`, `45 s`, `800 ms` */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return s > 0 ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

/** the share of `done` in `total` as a whole percent in [0, 100]; undefined when the total is unknown */
export function percentOf(
  done: number | undefined,
  total: number | undefined,
): number | undefined {
  if (done === undefined || total === undefined || total <= 0) return undefined;
  return Math.min(100, Math.max(0, Math.floor((done / total) * 100)));
}
