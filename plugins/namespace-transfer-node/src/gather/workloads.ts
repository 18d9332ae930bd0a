import type { KubeConfig } from '@kubernetes/client-node';
import type { WorkloadFact } from '../plan';
import { readNamespaceSnapshot, resolveClaimUsage } from '../usage';

/**
 * The controllers to stop so that nothing uses the claim (what quiesce scales down and where the identity
 * comes from), resolved from one listing of the namespace.
 *
 * @public
 */
export async function workloadsUsingClaim(
  kc: KubeConfig,
  namespace: string,
  claimName: string,
  opts: { openshift: boolean },
): Promise<WorkloadFact[]> {
  const snapshot = await readNamespaceSnapshot(kc, namespace, opts);
  return resolveClaimUsage(snapshot, claimName).workloads;
}
