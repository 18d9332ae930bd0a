/*
 * Time labels of the charts: a transfer's runs last minutes to hours, so its axis shows the time of day
 * (the viewer's zone), and the table the full local date and time.
 */

/** e.g. `14:05:09` */
export function clockTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

/** e.g. `05/12/2026, 14:05:09` in the viewer's locale */
export function dateTime(epochMs: number): string {
  return new Date(epochMs).toLocaleString(undefined, { hour12: false });
}
