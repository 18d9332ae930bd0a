/**
 * A 5-field cron schedule (minute hour day-of-month month day-of-week) as robfig/cron parses it for
 * CronJobs: lists, ranges, steps, `*` and `?`, month and weekday names, 7 as Sunday, and the @hourly,
 * @daily/@midnight, @weekly, @monthly, @yearly/@annually macros. When both day fields are restricted a
 * day matches either (standard cron). Times are evaluated in the given IANA time zone (default UTC).
 * The API server validates schedules with the same parser the controller runs them with, so what is
 * accepted is what fires.
 */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  dayRestricted: boolean;
  weekdayRestricted: boolean;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parseField(
  field: string,
  min: number,
  max: number,
  names?: string[],
  nameBase = 0,
): { set: Set<number>; star: boolean } {
  const set = new Set<number>();
  const value = (s: string) => {
    const i = names?.indexOf(s.toLowerCase()) ?? -1;
    if (i >= 0) return i + nameBase;
    if (!/^\d+$/.test(s)) throw new Error(`invalid cron value "${s}"`);
    return Number(s);
  };
  let star = false;
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new Error(`invalid cron step "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = min;
      hi = max;
      if (stepText === undefined) star = true;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      lo = value(a);
      hi = value(b);
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    if (lo < min || hi > max || lo > hi)
      throw new Error(`cron value out of range in "${part}" (${min}-${max})`);
    for (let v = lo; v <= hi; v += step) set.add(v);
  }
  return { set, star };
}

export function parseCron(expr: string): CronSchedule {
  let text = expr.trim();
  if (text.startsWith('TZ=') || text.startsWith('CRON_TZ='))
    throw new Error('time zones belong in spec.timeZone, not in the schedule');
  text = MACROS[text.toLowerCase()] ?? text;
  const fields = text.split(/\s+/);
  if (fields.length !== 5)
    throw new Error(
      `expected exactly 5 fields, found ${fields.length}: "${expr}"`,
    );
  const minutes = parseField(fields[0], 0, 59);
  const hours = parseField(fields[1], 0, 23);
  const days = parseField(fields[2], 1, 31);
  const months = parseField(fields[3], 1, 12, MONTHS, 1);
  const weekdays = parseField(fields[4], 0, 7, DAYS, 0);
  if (weekdays.set.has(7)) {
    weekdays.set.delete(7);
    weekdays.set.add(0);
  }
  return {
    minutes: minutes.set,
    hours: hours.set,
    days: days.set,
    months: months.set,
    weekdays: weekdays.set,
    dayRestricted: !days.star,
    weekdayRestricted: !weekdays.star,
  };
}

const TZ_PREFIX = /^(CRON_)?TZ=\S+\s+/;

/**
 * What the API server accepts in spec.schedule: a parseable schedule, optionally after a TZ= prefix
 * (validation leaves that to the controller), or robfig's @every; macros are case-sensitive there.
 */
export function validCronSchedule(schedule: string): boolean {
  const spec = schedule.trim().replace(TZ_PREFIX, '');
  if (/^@every\s+\S+$/.test(spec)) return true;
  if (spec.startsWith('@') && !(spec in MACROS)) return false;
  try {
    parseCron(spec);
    return true;
  } catch {
    return false;
  }
}

interface Wall {
  minute: number;
  hour: number;
  day: number;
  month: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(t: number, timeZone: string): Wall {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    const d = new Date(t);
    return {
      minute: d.getUTCMinutes(),
      hour: d.getUTCHours(),
      day: d.getUTCDate(),
      month: d.getUTCMonth() + 1,
      weekday: d.getUTCDay(),
    };
  }
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      minute: 'numeric',
      hour: 'numeric',
      day: 'numeric',
      month: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(
    f.formatToParts(new Date(t)).map(p => [p.type, p.value]),
  );
  return {
    minute: Number(parts.minute),
    hour: Number(parts.hour),
    day: Number(parts.day),
    month: Number(parts.month),
    weekday: DAYS.indexOf(String(parts.weekday).toLowerCase().slice(0, 3)),
  };
}

/** Throws for a time zone the runtime does not know (the API server rejects those too). */
export function checkTimeZone(timeZone: string): void {
  wallClock(0, timeZone);
}

function dayMatches(s: CronSchedule, w: Wall): boolean {
  const dom = s.days.has(w.day);
  const dow = s.weekdays.has(w.weekday);
  if (s.dayRestricted && s.weekdayRestricted) return dom || dow;
  return dom && dow;
}

const MINUTE = 60_000;

/** The first time strictly after `after` (ms) that the schedule fires, or undefined within five years. */
export function nextAfter(
  s: CronSchedule,
  after: number,
  timeZone = 'UTC',
): number | undefined {
  let t = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  const limit = after + 5 * 366 * 24 * 60 * MINUTE;
  while (t <= limit) {
    const w = wallClock(t, timeZone);
    if (!s.months.has(w.month) || !dayMatches(s, w)) {
      t += (24 * 60 - (w.hour * 60 + w.minute)) * MINUTE;
      continue;
    }
    if (!s.hours.has(w.hour)) {
      t += (60 - w.minute) * MINUTE;
      continue;
    }
    if (!s.minutes.has(w.minute)) {
      t += MINUTE;
      continue;
    }
    return t;
  }
  return undefined;
}

/**
 * Scheduled times in (earliest, now], newest last, at most `cap` + 1 of them (the caller only needs the
 * latest and whether too many were missed, as getMostRecentScheduleTime upstream).
 */
export function missedTimes(
  s: CronSchedule,
  earliest: number,
  now: number,
  timeZone = 'UTC',
  cap = 100,
): number[] {
  const out: number[] = [];
  for (
    let t = nextAfter(s, earliest, timeZone);
    t !== undefined && t <= now;
    t = nextAfter(s, t, timeZone)
  ) {
    out.push(t);
    if (out.length > cap + 1) out.shift();
  }
  return out;
}
