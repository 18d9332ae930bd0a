import {
  KubernetesObjectApi,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { LABEL_TRANSFER_ID } from '../naming';
import { httpStatus, withRetry, type RetryOptions } from '../clusters';

/**
 * Idempotent object operations for the engine's steps: creating what already exists (from an earlier run
 * of the same transfer) returns it; an object of the same name that belongs to someone else is an error.
 *
 * @public
 */
export class Objects {
  readonly api: KubernetesObjectApi;

  constructor(
    readonly kc: KubeConfig,
    private readonly retry: RetryOptions = {},
  ) {
    this.api = KubernetesObjectApi.makeApiClient(kc);
  }

  async read<T extends KubernetesObject>(
    header: KubernetesObject,
  ): Promise<T | undefined> {
    try {
      return (await withRetry(
        () => this.api.read(header as T & { metadata: { name: string } }),
        this.retry,
      )) as T;
    } catch (e) {
      if (httpStatus(e) === 404) return undefined;
      throw e;
    }
  }

  async ensure<T extends KubernetesObject>(
    obj: T,
    transferId: string,
  ): Promise<T> {
    try {
      return (await withRetry(() => this.api.create(obj), this.retry)) as T;
    } catch (e) {
      if (httpStatus(e) !== 409) throw e;
    }
    const existing = await this.read<T>(obj);
    if (!existing) return this.ensure(obj, transferId); // deleted in between: create again
    const owner = existing.metadata?.labels?.[LABEL_TRANSFER_ID];
    if (owner !== transferId) {
      throw new Error(
        `${obj.kind} ${obj.metadata?.namespace}/${obj.metadata?.name} exists and does not belong to transfer ${transferId}`,
      );
    }
    return existing;
  }

  /** Deletes, treating "already gone" as success. */
  async remove(
    obj: KubernetesObject,
    opts: { propagation?: 'Foreground' | 'Background' } = {},
  ): Promise<void> {
    try {
      await withRetry(
        () =>
          this.api.delete(
            obj,
            undefined,
            undefined,
            0,
            undefined,
            opts.propagation ?? 'Background',
          ),
        this.retry,
      );
    } catch (e) {
      if (httpStatus(e) !== 404) throw e;
    }
  }

  async list<T extends KubernetesObject>(
    apiVersion: string,
    kind: string,
    namespace: string,
    labelSelector: string,
  ): Promise<T[]> {
    const out = await withRetry(
      () =>
        this.api.list<T>(
          apiVersion,
          kind,
          namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          labelSelector,
        ),
      this.retry,
    );
    return out.items;
  }
}
