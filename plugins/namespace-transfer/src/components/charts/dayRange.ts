/*
 * The per-day answers hold only the days on which something happened; a bar chart over a range draws the
 * quiet days too, so that neighbouring bars are neighbouring days.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** A range of UTC days, both `YYYY-MM-DD`, `last` included. */
export interface DayRange {
  first: string;
  last: string;
}

/** Every UTC day of the range in order; nothing for a range that ends before it starts. */
export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  const last = Date.parse(`${range.last}T00:00:00Z`);
  for (let t = Date.parse(`${range.first}T00:00:00Z`); t <= last; t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** The days of the range with their entry, or the empty one; entries outside the range are kept in order. */
export function fillDays<T extends { day: string }>(
  entries: readonly T[],
  range: DayRange | undefined,
  empty: (day: string) => T,
): T[] {
  if (!range) return [...entries];
  const byDay = new Map(entries.map(e => [e.day, e]));
  const all = new Set([...daysOf(range), ...byDay.keys()]);
  return [...all].sort().map(day => byDay.get(day) ?? empty(day));
}
