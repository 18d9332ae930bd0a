const FORMAT = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

/**
 * An RFC 3339 time as a person reads it (the browser's locale and time zone, e.g. "Mar 12, 2025, 3:05 PM");
 * a value that is not a time is shown as it came.
 */
export function formatTime(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : FORMAT.format(date);
}
