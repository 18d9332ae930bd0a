import { InputError } from '@backstage/errors';
import type { SortField } from './types';

/**
 * A page cursor is the sort key and id of the last row handed out: the next page starts strictly after it
 * (keyset pagination), so rows inserted meanwhile neither shift nor repeat what follows. It is opaque to
 * callers: base64url of JSON, checked on the way back in.
 */
export interface Cursor {
  field: SortField;
  order: 'asc' | 'desc';
  /** the last row's sort value: epoch milliseconds for a time, else the string */
  value: string | number;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(
    JSON.stringify([c.field, c.order, c.value, c.id]),
  ).toString('base64url');
}

export function decodeCursor(
  text: string,
  expected: { field: SortField; order: 'asc' | 'desc' },
): Cursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InputError('the cursor is not one this API handed out');
  }
  if (
    !Array.isArray(parts) ||
    parts.length !== 4 ||
    typeof parts[3] !== 'string' ||
    !['string', 'number'].includes(typeof parts[2])
  )
    throw new InputError('the cursor is not one this API handed out');
  const [field, order, value, id] = parts as [
    string,
    string,
    string | number,
    string,
  ];
  if (field !== expected.field || order !== expected.order)
    throw new InputError(
      `the cursor belongs to a listing sorted by ${field} ${order}; ask again without it to sort by ${expected.field} ${expected.order}`,
    );
  return { field: expected.field, order: expected.order, value, id };
}
