import type { PodTemplateSpec } from '../kube/types';

export const POD_TEMPLATE_HASH = 'pod-template-hash';
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

// Keys in code-unit order, the same on every machine (localeCompare depends on the locale).
function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => compareCodeUnits(a, b));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(s, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The template without the pod-template-hash label, so a ReplicaSet's template compares with its Deployment's. */
export function withoutHashLabel(
  t: PodTemplateSpec | undefined,
): PodTemplateSpec {
  const labels = { ...t?.metadata?.labels };
  delete labels[POD_TEMPLATE_HASH];
  return { ...t, metadata: { ...t?.metadata, labels } };
}

/**
 * ComputeHash upstream: FNV-32a of the template (plus the collision count), printed in decimal and mapped
 * onto the alphabet of rand.SafeEncodeString, so names never spell words or look like numbers.
 */
export function templateHash(
  t: PodTemplateSpec | undefined,
  collisionCount?: number,
): string {
  let s = canonical(withoutHashLabel(t));
  if (collisionCount) s += `#${collisionCount}`;
  return [...String(fnv1a32(s))]
    .map(c => SAFE[c.charCodeAt(0) % SAFE.length])
    .join('');
}
