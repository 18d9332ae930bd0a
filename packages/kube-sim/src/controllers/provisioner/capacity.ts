import { capacityBytes } from '../pvbinder/matching';
import { tryParseQuantity } from '../../lib/quantity';
import type { PersistentVolume, StorageClass } from '../kube/types';

/** Bytes as the API would print them, in the largest binary unit that divides them. */
export function formatBytes(n: number): string {
  for (const [suffix, size] of [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (n >= size && n % size === 0) return `${n / size}${suffix}`;
  }
  return String(n);
}

/**
 * The pool a class may provision from (`parameters.capacity`), or undefined when unlimited. Every volume of
 * the class that still exists counts against it, Released ones too: their data is still on disk.
 */
export function remainingCapacity(
  sc: StorageClass,
  volumes: PersistentVolume[],
): { total: number; remaining: number } | undefined {
  const total = tryParseQuantity(sc.parameters?.capacity);
  if (total === undefined) return undefined;
  const used = volumes
    .filter(pv => (pv.spec?.storageClassName ?? '') === sc.metadata?.name)
    .reduce((sum, pv) => sum + capacityBytes(pv), 0);
  return { total, remaining: Math.max(0, total - used) };
}
