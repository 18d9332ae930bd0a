/** The building blocks of kubectl's printers: columns, ages, `<none>`. */
import type { KObject } from '../registry/types';

export interface Column {
  name: string;
  type: 'string' | 'integer' | 'date' | 'number' | 'boolean';
  format?: string;
  description: string;
  priority: number;
}

export interface Printer {
  columns: Column[];
  cells(o: KObject): unknown[];
}

export const col = (
  name: string,
  type: Column['type'] = 'string',
  priority = 0,
  format = '',
): Column => ({
  name,
  type,
  format,
  description: name,
  priority,
});

/** kubectl's short durations: 45s, 5m10s, 3h, 2d4h. */
export function age(ts: string | undefined, now = Date.now()): string {
  if (!ts) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(ts)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 && d < 8 ? `${d}d${h % 24}h` : `${d}d`;
}

export const NAME = col('Name', 'string', 0, 'name');
export const AGE = col('Age');
export const name = (o: KObject) => o.metadata?.name;
export const ageOf = (o: KObject) => age(o.metadata?.creationTimestamp);
export const none = (v: unknown) =>
  v === undefined || v === null || v === '' ? '<none>' : v;
