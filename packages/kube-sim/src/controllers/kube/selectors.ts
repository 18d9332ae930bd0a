import type { LabelSelector } from './types';

type Labels = Record<string, string> | undefined;

/**
 * metav1.LabelSelector semantics: matchLabels and every matchExpression must hold. An empty selector
 * matches everything; a missing (undefined) selector matches nothing, as for Services and workload
 * selectors the callers must decide that themselves.
 */
export function matchesSelector(
  selector: LabelSelector | undefined,
  labels: Labels,
): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {}))
    if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(l[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(l[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A Service's (or nodeSelector's) plain map selector: every pair must match; empty matches everything. */
export function matchesMap(
  selector: Record<string, string> | undefined,
  labels: Labels,
): boolean {
  const l = labels ?? {};
  return Object.entries(selector ?? {}).every(([k, v]) => l[k] === v);
}

/** The labelSelector query string form of a map selector. */
export function mapToQuery(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
