import type { Config } from '@backstage/config';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Day = (typeof DAYS)[number];

/** A weekly window in a time zone when staged transfers may cut over; `end <= start` ends the next day. */
export interface MaintenanceWindow {
  days: Day[];
  /** minutes after local midnight */
  start: number;
  end: number;
  timeZone: string;
}

const KEY = 'namespaceTransfer.maintenanceWindows';
const MINUTE = 60_000;
/** a week and a day: any weekly window opens within it */
const SEARCH_MINUTES = 8 * 24 * 60;

function minutesOf(text: string, key: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!m) throw new Error(`${key} must be HH:MM (24-hour), got "${text}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function checkTimeZone(timeZone: string, key: string): string {
  try {
    // the constructor is the check: it throws a RangeError for a zone it does not know
    Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions();
  } catch {
    throw new Error(
      `${key} must be an IANA time zone (e.g. Europe/Berlin), got "${timeZone}"`,
    );
  }
  return timeZone;
}

/** Reads the windows, refusing a bad day, time or zone at start-up with the key named. */
export function readMaintenanceWindows(config: Config): MaintenanceWindow[] {
  const list = config.getOptionalConfigArray(KEY) ?? [];
  return list.map((w, i) => {
    const at = `${KEY}[${i}]`;
    const days = (w.getOptionalStringArray('days') ?? [...DAYS]).map(d => {
      if (!(DAYS as readonly string[]).includes(d))
        throw new Error(
          `${at}.days must name days as ${DAYS.join(', ')}, got "${d}"`,
        );
      return d as Day;
    });
    const start = minutesOf(w.getString('start'), `${at}.start`);
    const end = minutesOf(w.getString('end'), `${at}.end`);
    if (start === end)
      throw new Error(`${at}: start and end are equal; the window is empty`);
    return {
      days,
      start,
      end,
      timeZone: checkTimeZone(w.getOptionalString('timeZone') ?? 'UTC', at),
    };
  });
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The local weekday and minute of the day of `at` in `timeZone`. */
function localTime(
  at: Date,
  timeZone: string,
): { day: number; minute: number } {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, f);
  }
  const parts = Object.fromEntries(
    f.formatToParts(at).map(p => [p.type, p.value]),
  );
  return {
    day: DAYS.indexOf(String(parts.weekday).toLowerCase() as Day),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

function inWindow(at: Date, w: MaintenanceWindow): boolean {
  const { day, minute } = localTime(at, w.timeZone);
  const opensOn = (d: number) => w.days.includes(DAYS[(d + 7) % 7]);
  if (w.start < w.end)
    return opensOn(day) && minute >= w.start && minute < w.end;
  // overnight: the evening part belongs to today's window, the morning part to yesterday's
  return (
    (opensOn(day) && minute >= w.start) || (opensOn(day - 1) && minute < w.end)
  );
}

/** Whether a cut over may start at `at` (always, when no window is configured). */
export function cutoverAllowed(
  at: Date,
  windows: MaintenanceWindow[],
): boolean {
  return windows.length === 0 || windows.some(w => inWindow(at, w));
}

/**
 * The first time at or after `at` when a cut over may start: `at` itself inside a window (or with no
 * windows), else the next window's opening, to the minute.
 */
export function nextCutoverTime(at: Date, windows: MaintenanceWindow[]): Date {
  if (cutoverAllowed(at, windows)) return at;
  const first = Math.ceil(at.getTime() / MINUTE) * MINUTE;
  for (let i = 0; i <= SEARCH_MINUTES; i++) {
    const t = new Date(first + i * MINUTE);
    if (cutoverAllowed(t, windows)) return t;
  }
  throw new Error(
    'no maintenance window opens within eight days: check namespaceTransfer.maintenanceWindows',
  );
}
