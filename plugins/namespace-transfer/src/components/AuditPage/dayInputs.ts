/*
 * The "created" filters as people pick them, whole UTC days with both ends included, and as the API takes
 * them: createdAfter is the first instant included, createdBefore the first one left out.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` → its first instant, e.g. `2026-12-01T00:00:00.000Z` */
export function startOfDay(day: string): string {
  return `${day}T00:00:00.000Z`;
}

/** `YYYY-MM-DD` → the first instant of the day after it */
export function endOfDay(day: string): string {
  return new Date(Date.parse(startOfDay(day)) + DAY_MS).toISOString();
}

/** createdAfter as a day for a date input (empty when unset) */
export function dayOfStart(iso: string | undefined): string {
  return iso ? new Date(Date.parse(iso)).toISOString().slice(0, 10) : '';
}

/** createdBefore as the last day it includes, for a date input (empty when unset) */
export function dayOfEnd(iso: string | undefined): string {
  return iso ? new Date(Date.parse(iso) - 1).toISOString().slice(0, 10) : '';
}
