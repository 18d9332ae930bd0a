import { CutoverWindow } from '@namespace-transfer/plugin-namespace-transfer-common';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** The weekday (0 = Sunday) and minute of the day of `at` on the wall clock of `timeZone`. */
function wallClock(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find(p => p.type === type)?.value ?? '';
  return {
    day: DAYS.indexOf(part('weekday').toLowerCase()),
    minute: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

function inWindow(at: Date, w: CutoverWindow): boolean {
  const { day, minute } = wallClock(at, w.timeZone);
  const start = minutesOf(w.start);
  const end = minutesOf(w.end);
  const opensOn = (d: number) => w.days.includes(DAYS[(d + 7) % 7]);
  if (start < end) return opensOn(day) && minute >= start && minute < end;
  // a window past midnight: its early hours belong to the day it opened on
  return (
    (opensOn(day) && minute >= start) || (opensOn(day - 1) && minute < end)
  );
}

/** Whether a staged transfer may cut over at `at` (any time when no window is configured). */
export function inCutoverWindows(at: Date, windows: CutoverWindow[]): boolean {
  return windows.length === 0 || windows.some(w => inWindow(at, w));
}

/** e.g. `sat, sun 02:00–06:00 (Europe/Berlin)` */
export function describeCutoverWindow(w: CutoverWindow): string {
  return `${w.days.join(', ')} ${w.start}–${w.end} (${w.timeZone})`;
}

/** Every window in one line, for a message that says where a time must fall. */
export function describeCutoverWindows(windows: CutoverWindow[]): string {
  return windows.length === 0
    ? 'any time'
    : windows.map(describeCutoverWindow).join('; ');
}
