import {
  cutoverAllowed,
  type MaintenanceWindow,
} from '../worker/maintenanceWindows';
import type { CutoverWindows } from './ports';

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The worker's maintenance windows (read and checked by its config) as the workflow asks them. */
export function cutoverWindows(windows: MaintenanceWindow[]): CutoverWindows {
  return {
    allows: at => cutoverAllowed(at, windows),
    describe: () =>
      windows.length === 0
        ? 'any time'
        : windows
            .map(
              w =>
                `${w.days.join(',')} ${hhmm(w.start)}-${hhmm(w.end)} ${w.timeZone}`,
            )
            .join('; '),
    list: () =>
      windows.map(w => ({
        days: [...w.days],
        start: hhmm(w.start),
        end: hhmm(w.end),
        timeZone: w.timeZone,
      })),
  };
}
