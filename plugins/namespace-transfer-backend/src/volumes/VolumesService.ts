import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError, isError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterVolumes,
  EntityKubernetesSelector,
  EntityVolumesResponse,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  describeFailure,
  readableError,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import { classifyClusterError, ClusterRegistry } from '../clusters';
import { entityKubernetesSelector } from '../entities';
import { BadGatewayError } from '../errors';
import { readClusterVolumes } from './readClusterVolumes';

/** How long one cluster's answer for one selector is kept, unless configured (namespaceTransfer.volumesCacheTtlMs). */
export const DEFAULT_VOLUMES_CACHE_TTL_MS = 5_000;
const MAX_CACHE_ENTRIES = 1_000;

export interface VolumesServiceOptions {
  catalog: CatalogService;
  registry: ClusterRegistry;
  /** per-cluster budget for all calls of one request */
  timeoutMs: number;
  /**
   * How long one cluster's answer for one selector is reused (default 5 s; 0: only requests in flight at
   * the same time share one reading). A failed reading is shared by the requests that waited for it but
   * not kept: the next request asks the cluster again.
   */
  cacheTtlMs?: number;
  logger?: LoggerService;
  /** injectable for tests */
  readVolumes?: typeof readClusterVolumes;
  now?: () => number;
}

interface CacheEntry {
  /** until when the answer is reused; Infinity while it is being read */
  expiresAt: number;
  answer: Promise<ClusterVolumes>;
}

/** The HTTP status of a catalog client's error (ResponseError carries the response). */
function catalogStatus(error: unknown): number | undefined {
  const e = error as {
    statusCode?: unknown;
    response?: { status?: unknown };
  };
  const status = e?.statusCode ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Answers "which PVCs does this catalog entity have, on which cluster, used by whom". */
export class VolumesService {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly options: VolumesServiceOptions) {}

  async getEntityVolumes(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityVolumesResponse> {
    const entity = await this.findEntity(entityRef, credentials);
    const selector = entityKubernetesSelector(entity);
    const clusters = await Promise.all(
      this.options.registry
        .list()
        .map(cluster => this.clusterVolumes(cluster.name, selector)),
    );
    return { entityRef, selector, clusters };
  }

  /**
   * The entity, with the caller's credentials: a user who cannot see the entity in the catalog cannot list
   * its volumes. The catalog's errors are answered as what they mean for this request (400 for a reference
   * it refuses, 404 for one it does not have or will not show, 502 for anything else), never with the
   * catalog's own message, which names its internal request.
   */
  private async findEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ) {
    let entity;
    try {
      entity = await this.options.catalog.getEntityByRef(entityRef, {
        credentials,
      });
    } catch (error) {
      const status = catalogStatus(error);
      this.options.logger?.warn(
        `namespace-transfer: the catalog failed to look up ${JSON.stringify(entityRef)}`,
        isError(error) ? error : undefined,
      );
      if (status === 400) {
        throw new InputError(
          `The catalog refused the entity reference ${JSON.stringify(entityRef)}`,
        );
      }
      if (status === 403 || status === 404) {
        throw new NotFoundError(`No entity ${entityRef} in the catalog`);
      }
      throw new BadGatewayError(
        `The catalog could not be asked for ${entityRef}${status ? ` (it answered ${status})` : ''}`,
      );
    }
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    return entity;
  }

  /**
   * One cluster's volumes for one selector. Requests for the same cluster and selector share one reading
   * while it runs and reuse its answer (not a failure) for the cache's TTL, so that a burst of identical
   * requests makes one round of lists. The answer is the service account's view of the cluster, the same for every
   * caller; who may see it was decided per caller above (catalog visibility, permission).
   */
  private clusterVolumes(
    cluster: string,
    selector: EntityKubernetesSelector,
  ): Promise<ClusterVolumes> {
    const now = (this.options.now ?? Date.now)();
    const key = JSON.stringify([
      cluster,
      selector.namespace ?? null,
      selector.labelSelector,
    ]);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > now) return cached.answer;

    const { registry, timeoutMs, logger } = this.options;
    const ttl = this.options.cacheTtlMs ?? DEFAULT_VOLUMES_CACHE_TTL_MS;
    const read = this.options.readVolumes ?? readClusterVolumes;
    const entry: CacheEntry = {
      expiresAt: Infinity,
      answer: (async (): Promise<ClusterVolumes> => {
        try {
          const volumes = await read(
            registry.clients(cluster),
            selector,
            timeoutMs,
          );
          return { cluster, volumes };
        } catch (error) {
          const classified = classifyClusterError(cluster, error);
          // an answer from the API server is said in its words (readableError, never the client's
          // HTTP-Code/Body/Headers dump); only a failure without an answer keeps its stack for the operator
          const answered = describeFailure(error).kind === 'http';
          logger?.warn(
            `namespace-transfer: reading volumes (${selector.labelSelector}) on cluster '${cluster}' failed (${classified.reason}): ${readableError(error)}`,
            !answered && isError(error) ? error : undefined,
          );
          return { cluster, volumes: [], error: classified };
        }
      })(),
    };
    this.cache.delete(key);
    this.cache.set(key, entry);
    entry.answer.then(answer => {
      entry.expiresAt = (this.options.now ?? Date.now)() + ttl;
      if ((answer.error || ttl <= 0) && this.cache.get(key) === entry)
        this.cache.delete(key);
    });
    this.evict(now);
    return entry.answer;
  }

  private evict(now: number) {
    if (this.cache.size <= MAX_CACHE_ENTRIES) return;
    for (const [key, entry] of this.cache) {
      if (entry.expiresAt <= now) this.cache.delete(key);
    }
    // still too many: the oldest go first (insertion order), readings in flight included
    for (const key of this.cache.keys()) {
      if (this.cache.size <= MAX_CACHE_ENTRIES) break;
      this.cache.delete(key);
    }
  }
}
