import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { KEP_GROUP, type NamespaceTransferRequest } from './types';

/**
 * Which claim in the request's namespace receives the volume. The KEP's story 1: the user made the claim
 * with a dataSourceRef naming the request, and it is adopted. Otherwise our extension spec.targetName, or
 * the source's name, for a claim the transfer creates. Two claims naming the request are a conflict the
 * user must settle: binding either would leave the other waiting on a volume it never gets.
 *
 * @public
 */
export function pickDestinationClaim(
  request: NamespaceTransferRequest,
  claimsInRequestNamespace: V1PersistentVolumeClaim[],
): { name: string; adopted: boolean; conflict?: string } {
  const naming = claimsInRequestNamespace
    .filter(c => namesRequest(c, request))
    .map(c => c.metadata!.name!)
    .sort();
  if (naming.length > 1) {
    const { namespace, name } = request.metadata;
    return {
      name: naming[0],
      adopted: true,
      conflict: `claims ${naming.join(', ')} in ${namespace} all name NamespaceTransferRequest ${name} in their dataSourceRef: only one can receive the volume`,
    };
  }
  if (naming.length === 1) return { name: naming[0], adopted: true };
  return {
    name: request.spec.targetName || request.spec.source.name,
    adopted: false,
  };
}

/**
 * dataSourceRef without a namespace names an object in the claim's own namespace; one with another
 * namespace (CrossNamespaceVolumeDataSource) is a different request even if the name is the same. A claim
 * being deleted still counts: the user chose it, and the binding refuses it rather than silently making
 * another claim.
 */
function namesRequest(
  claim: V1PersistentVolumeClaim,
  request: NamespaceTransferRequest,
): boolean {
  const ref = claim.spec?.dataSourceRef;
  return (
    (claim.metadata?.namespace ?? request.metadata.namespace) ===
      request.metadata.namespace &&
    ref?.apiGroup === KEP_GROUP &&
    ref.kind === 'NamespaceTransferRequest' &&
    ref.name === request.metadata.name &&
    (!ref.namespace || ref.namespace === request.metadata.namespace)
  );
}
