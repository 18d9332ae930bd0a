import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { httpStatus, withRetry } from '../clusters';
import type { NamespacePolicy } from '../plan/quota';

/**
 * Reads what the quota and LimitRanger admission would hold a new object in `namespace` to.
 *
 * @public
 */
export async function readNamespacePolicy(
  kc: KubeConfig,
  namespace: string,
): Promise<NamespacePolicy> {
  const core = kc.makeApiClient(CoreV1Api);
  try {
    const [quotas, limitRanges] = await Promise.all([
      withRetry(() => core.listNamespacedResourceQuota({ namespace })),
      withRetry(() => core.listNamespacedLimitRange({ namespace })),
    ]);
    return { quotas: quotas.items, limitRanges: limitRanges.items };
  } catch (e) {
    if (httpStatus(e) === 403)
      return {
        unreadable: `not allowed to read the ResourceQuotas and LimitRanges of namespace ${namespace}: whether the claim and the mover pods fit was not checked`,
      };
    throw e;
  }
}
