import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { retryOnConflict } from '../clusters';
import {
  KEP_GROUP,
  KEP_VERSION,
  REQUESTS,
  type Condition,
  type NamespaceTransferRequest,
} from './types';

/**
 * The status of a NamespaceTransferRequest.
 *
 * @public
 */
export type Status = NonNullable<NamespaceTransferRequest['status']>;

/**
 * Sets a condition, keeping lastTransitionTime when its status did not change (as the API conventions ask).
 *
 * @public
 */
export function setCondition(
  conditions: Condition[] = [],
  c: Omit<Condition, 'lastTransitionTime'>,
  now = new Date().toISOString(),
): Condition[] {
  const old = conditions.find(x => x.type === c.type);
  const next: Condition = {
    ...c,
    lastTransitionTime:
      old && old.status === c.status ? old.lastTransitionTime : now,
  };
  return [...conditions.filter(x => x.type !== c.type), next];
}

/**
 * Writes a request's status through the status subresource (the spec is the requester's): a read-modify-write
 * with the read resourceVersion, retried on conflict. Writes nothing when the change changes nothing.
 *
 * @public
 */
export class RequestStatusWriter {
  private readonly api: CustomObjectsApi;

  constructor(kc: KubeConfig) {
    this.api = kc.makeApiClient(CustomObjectsApi);
  }

  async update(
    namespace: string,
    name: string,
    change: (s: Status, r: NamespaceTransferRequest) => Status,
  ): Promise<NamespaceTransferRequest | undefined> {
    return retryOnConflict(async () => {
      let current: NamespaceTransferRequest;
      try {
        current = (await this.api.getNamespacedCustomObject({
          group: KEP_GROUP,
          version: KEP_VERSION,
          namespace,
          plural: REQUESTS,
          name,
        })) as NamespaceTransferRequest;
      } catch (e) {
        if ((e as { code?: number }).code === 404) return undefined; // deleted: nobody to tell
        throw e;
      }
      const before = current.status ?? {};
      const after = change(structuredClone(before), current);
      if (JSON.stringify(after) === JSON.stringify(before)) return current;
      return (await this.api.replaceNamespacedCustomObjectStatus({
        group: KEP_GROUP,
        version: KEP_VERSION,
        namespace,
        plural: REQUESTS,
        name,
        body: {
          ...current,
          status: { ...after, observedGeneration: current.metadata.generation },
        },
      })) as NamespaceTransferRequest;
    });
  }
}
