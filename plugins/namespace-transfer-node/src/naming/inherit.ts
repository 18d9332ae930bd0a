import { LABEL_MANAGED_BY, MANAGED_BY } from './index';

/**
 * What a destination claim never takes over from its source: the binding and provisioning state of the
 * old volume (`volume.kubernetes.io/selected-node` would pin a WaitForFirstConsumer claim to a node that
 * may not exist where the copy lands), kubectl's record of the source object, and our own bookkeeping.
 */
export const NOT_INHERITED_PREFIXES = [
  'pv.kubernetes.io/',
  'volume.kubernetes.io/',
  'volume.beta.kubernetes.io/',
  'namespace-transfer.io/',
];
export const NOT_INHERITED_KEYS = [
  'kubectl.kubernetes.io/last-applied-configuration',
];

const inherited = (key: string) =>
  !NOT_INHERITED_KEYS.includes(key) &&
  !NOT_INHERITED_PREFIXES.some(p => key.startsWith(p));

function pick(
  map: Record<string, string> | undefined,
  keep?: (key: string) => boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {}))
    if (inherited(k) && (keep?.(k) ?? true)) out[k] = v;
  return out;
}

/**
 * The labels and annotations a destination claim starts with: the source claim's (so the copy shows up
 * where the source did, e.g. under the same catalog entity), minus the exclusions above and our managed-by
 * label, then the caller's labels on top (the CLI's --label, the backend's destination entity).
 */
export function inheritedMetadata(
  source: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  },
  o: { labels?: Record<string, string>; keepLabels?: string[] } = {},
): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels = pick(
    source.labels,
    k =>
      !(k === LABEL_MANAGED_BY && source.labels?.[k] === MANAGED_BY) &&
      (!o.keepLabels || o.keepLabels.includes(k)),
  );
  return {
    labels: { ...labels, ...o.labels },
    annotations: pick(source.annotations),
  };
}
