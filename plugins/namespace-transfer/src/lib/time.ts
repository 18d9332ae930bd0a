/** e.g. `5 Dec 2026, 10:00:00` in the reader's locale and time zone; `–` for no time */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
}

/** how long an attempt ran, from its start to its end; undefined until it ended */
export function runTimeMs(transfer: {
  startedAt?: string;
  finishedAt?: string;
}): number | undefined {
  if (!transfer.startedAt || !transfer.finishedAt) return undefined;
  const ms = Date.parse(transfer.finishedAt) - Date.parse(transfer.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** e.g. `14:12:27`: a log's time of day, in the reader's time zone */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    // not `hour12: false`, which writes midnight as 24:00 in some locales
    hourCycle: 'h23',
  });
}

/** e.g. `Dec 5, 2026`: the reader's day of a time, to tell when a log crosses midnight */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** e.g. `['Dec 5, 2026', '2:11 PM']`: a table's time as two short lines, neither of which breaks */
export function formatDayAndTime(iso: string): [string, string] {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return [iso, ''];
  return [
    formatDay(iso),
    date.toLocaleTimeString(undefined, { timeStyle: 'short' }),
  ];
}
