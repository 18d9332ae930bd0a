import { parseLabelSelector } from './labelSelector';

/**
 * The labels a selector requires to have one value (`key=value`, `key==value`, `key in (value)`): what a
 * new object must carry to be selected, and what makes a selector name particular objects at all. A
 * selector of only `!=`, `notin`, `!key` or `key` (exists) has none: it says what objects are not, or
 * only that they have a key, so it selects whatever someone else labels. Throws LabelSelectorSyntaxError
 * for a selector Kubernetes refuses. Null when two requirements want different values of one key (the
 * selector selects nothing).
 */
export function equalityLabels(
  labelSelector: string,
): Record<string, string> | null {
  const labels: Record<string, string> = {};
  for (const r of parseLabelSelector(labelSelector)) {
    const single =
      r.operator === '=' || (r.operator === 'in' && r.values.length === 1);
    if (!single) continue;
    const value = r.values[0];
    if (r.key in labels && labels[r.key] !== value) return null;
    labels[r.key] = value;
  }
  return labels;
}
