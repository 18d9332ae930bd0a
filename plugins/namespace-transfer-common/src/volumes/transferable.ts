import { TRANSFERABLE_ANNOTATION, TransferableInfo } from './types';

/**
 * The annotations of an object, as its metadata holds them.
 *
 * @public
 */
export type Annotations = Record<string, string> | undefined;

function parseFlag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const normalized = value.trim().toLowerCase();
  if (normalized === 'false') return false;
  if (normalized === 'true') return true;
  // An unreadable value must not silently allow a transfer the owner tried to forbid.
  return false;
}

/**
 * Decides whether a PVC may be transferred. The PVC's own annotation wins over its namespace's, so a
 * namespace can opt out as a whole while single claims opt back in (and the reverse); without either the
 * claim is transferable.
 *
 * @public
 */
export function resolveTransferable(
  pvcAnnotations: Annotations,
  namespaceAnnotations: Annotations,
): TransferableInfo {
  const own = parseFlag(pvcAnnotations?.[TRANSFERABLE_ANNOTATION]);
  if (own !== undefined) {
    return {
      transferable: own,
      source: 'pvc-annotation',
      reason: own
        ? `The PVC allows transfers (${TRANSFERABLE_ANNOTATION}=${pvcAnnotations?.[TRANSFERABLE_ANNOTATION]}).`
        : `The PVC opts out of transfers (${TRANSFERABLE_ANNOTATION}=${pvcAnnotations?.[TRANSFERABLE_ANNOTATION]}).`,
    };
  }
  const ns = parseFlag(namespaceAnnotations?.[TRANSFERABLE_ANNOTATION]);
  if (ns !== undefined) {
    return {
      transferable: ns,
      source: 'namespace-annotation',
      reason: ns
        ? `The namespace allows transfers (${TRANSFERABLE_ANNOTATION}=${namespaceAnnotations?.[TRANSFERABLE_ANNOTATION]}).`
        : `The namespace opts out of transfers (${TRANSFERABLE_ANNOTATION}=${namespaceAnnotations?.[TRANSFERABLE_ANNOTATION]}).`,
    };
  }
  return {
    transferable: true,
    source: 'default',
    reason: 'Neither the PVC nor its namespace opts out of transfers.',
  };
}
