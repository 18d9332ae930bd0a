/** Naming of StatefulSet pods and claims, and parsing a pod name back to its ordinal. */
export const podName = (set: string, ordinal: number) => `${set}-${ordinal}`;

export const claimName = (template: string, set: string, ordinal: number) =>
  `${template}-${set}-${ordinal}`;

/** The ordinal of a pod named `<set>-<n>`, or undefined when the name is not one of this set's. */
export function ordinalOf(set: string, pod: string): number | undefined {
  if (!pod.startsWith(`${set}-`)) return undefined;
  const rest = pod.slice(set.length + 1);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}
