import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { httpStatus, retryOnConflict } from '../clusters';
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

/** Equal as JSON, whatever the order of the keys (the API server may keep another order than ours). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sorted);
  if (!x || typeof x !== 'object') return x;
  return Object.fromEntries(
    Object.keys(x)
      .filter(k => (x as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map(k => [k, sorted((x as Record<string, unknown>)[k])]),
  );
}

/**
 * A KEP object with a status subresource.
 *
 * @public
 */
export interface WithStatus<S> {
  metadata: { generation?: number };
  status?: S;
}

/**
 * Writes the status of one kind of KEP object through its status subresource (the spec is its author's): a
 * read-modify-write with the read resourceVersion, retried on conflict. Writes nothing when the change and
 * the observed generation change nothing, so that a watch event of its own write does not loop.
 *
 * @public
 */
export class StatusWriter<
  S extends { observedGeneration?: number },
  T extends WithStatus<S>,
> {
  private readonly api: CustomObjectsApi;

  constructor(
    kc: KubeConfig,
    private readonly plural: string,
  ) {
    this.api = kc.makeApiClient(CustomObjectsApi);
  }

  async update(
    namespace: string,
    name: string,
    change: (s: S, o: T) => S,
  ): Promise<T | undefined> {
    const target = {
      group: KEP_GROUP,
      version: KEP_VERSION,
      namespace,
      plural: this.plural,
      name,
    };
    return retryOnConflict(async () => {
      let current: T;
      try {
        current = (await this.api.getNamespacedCustomObject(target)) as T;
      } catch (e) {
        if (httpStatus(e) === 404) return undefined; // deleted: nobody to tell
        throw e;
      }
      const before = (current.status ?? {}) as S;
      const after = {
        ...change(structuredClone(before), current),
        observedGeneration: current.metadata.generation,
      };
      if (sameJson(after, before)) return current;
      return (await this.api.replaceNamespacedCustomObjectStatus({
        ...target,
        body: { ...current, status: after },
      })) as T;
    });
  }
}

/**
 * Writes a request's status (see StatusWriter).
 *
 * @public
 */
export class RequestStatusWriter extends StatusWriter<
  Status,
  NamespaceTransferRequest
> {
  constructor(kc: KubeConfig) {
    super(kc, REQUESTS);
  }
}
