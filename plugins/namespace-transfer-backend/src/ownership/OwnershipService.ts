import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, isError, NotFoundError } from '@backstage/errors';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  httpStatus,
  withRetry,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import type { ClaimOwnership, ClaimRef } from '../access/types';
import {
  classifyClusterError,
  ClusterRegistry,
  PORTAL_RETRY,
  withTimeout,
} from '../clusters';
import { KUBERNETES_NAMESPACE_ANNOTATION } from '../entities';
import { BadGatewayError } from '../errors';
import { decideClaimOwnership } from './decideClaimOwnership';
import { namespaceNamesEntity } from './entityClaim';

/** An entity's ownedBy relations; none for no entity. */
function ownerRefs(entity: Entity | undefined): string[] {
  return (entity?.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
}

/** A namespace's annotations on a cluster; undefined when it does not exist there. */
export type NamespaceReader = (
  cluster: string,
  namespace: string,
) => Promise<Record<string, string> | undefined>;

const NAMESPACES_AT_ONCE = 8;

/** Runs at most `n` of the given calls at a time, the rest in the order they came. */
function limiter(n: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(call: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>(go => waiting.push(go));
    running++;
    try {
      return await call();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

export interface OwnershipServiceOptions {
  catalog: CatalogService;
  auth: AuthService;
  registry: ClusterRegistry;
  /** per-cluster budget of one question */
  timeoutMs: number;
  /** namespaceTransfer.ownership.namespaceOwnerAnnotation */
  namespaceOwnerAnnotation?: string;
  logger?: LoggerService;
}

/**
 * Reads who owns what, now, from the catalog and the clusters. The catalog is read with the plugin's own
 * credentials: ownership is a fact about the catalog, and a caller who cannot see a second entity claiming
 * the same volume must not be made its owner by not seeing it.
 */
export class OwnershipService {
  constructor(private readonly options: OwnershipServiceOptions) {}

  /** The owners of a claim now; NotFoundError when the claim does not exist on its cluster. */
  async claimOwnership(claim: ClaimRef): Promise<ClaimOwnership> {
    const annotationKey = this.options.namespaceOwnerAnnotation;
    const [labels, namespaceAnnotations, entities] = await Promise.all([
      this.claimLabels(claim),
      annotationKey
        ? this.namespaceAnnotations(claim.cluster, claim.namespace)
        : undefined,
      this.entitiesInNamespace(claim.namespace),
    ]);
    return decideClaimOwnership({
      claim,
      labels,
      entities,
      ownerAnnotation: annotationKey,
      namespaceAnnotations: namespaceAnnotations ?? {},
    });
  }

  /** An entity by its ref, or undefined when the catalog has none. */
  async entity(entityRef: string): Promise<Entity | undefined> {
    return this.askCatalog(`entity ${entityRef}`, async credentials =>
      this.options.catalog.getEntityByRef(entityRef, { credentials }),
    );
  }

  /**
   * An entity's owners now (its ownedBy relations); none when it no longer exists, or for no entity at all
   * (a transfer whose source claim nobody owned at request time stores no source entity).
   */
  async entityOwnerRefs(entityRef: string): Promise<string[]> {
    try {
      parseEntityRef(entityRef);
    } catch {
      return [];
    }
    return ownerRefs(await this.entity(entityRef));
  }

  /**
   * The owners now of each of many entities, in one catalog call: what a page of transfers needs (an
   * entity that no longer exists, or no entity at all, has none).
   */
  async ownersOfEntities(entityRefs: string[]): Promise<Map<string, string[]>> {
    const refs = [...new Set(entityRefs)].filter(r => {
      try {
        parseEntityRef(r);
        return true;
      } catch {
        return false;
      }
    });
    const owners = new Map<string, string[]>();
    if (refs.length === 0) return owners;
    const { items } = await this.askCatalog(
      `the owners of ${refs.length} entities`,
      async credentials =>
        this.options.catalog.getEntitiesByRefs(
          { entityRefs: refs, fields: ['relations'] },
          { credentials },
        ),
    );
    refs.forEach((ref, i) => owners.set(ref, ownerRefs(items[i])));
    return owners;
  }

  /** Every entity that names a namespace: what admins may request into. */
  async namespacedEntities(): Promise<Entity[]> {
    return this.askCatalog(
      'entities with a namespace',
      async credentials =>
        (
          await this.options.catalog.getEntities(
            {
              filter: {
                [`metadata.annotations.${KUBERNETES_NAMESPACE_ANNOTATION}`]:
                  CATALOG_FILTER_EXISTS,
              },
            },
            { credentials },
          )
        ).items,
    );
  }

  /** The entities owned by any of `claims` (a user's ownership refs). */
  async ownedEntities(claims: string[]): Promise<Entity[]> {
    if (claims.length === 0) return [];
    return this.askCatalog('entities owned by the caller', async credentials =>
      (
        await this.options.catalog.getEntities(
          { filter: { [`relations.${RELATION_OWNED_BY}`]: claims } },
          { credentials },
        )
      ).items.filter(e =>
        (e.relations ?? []).some(
          r =>
            r.type === RELATION_OWNED_BY &&
            claims.some(
              c =>
                c.toLocaleLowerCase('en-US') ===
                r.targetRef.toLocaleLowerCase('en-US'),
            ),
        ),
      ),
    );
  }

  /**
   * Whether the entity may hold claims in `namespace` on `cluster`: the namespace exists there and, where
   * an owner annotation is configured, names the entity. A reason when not.
   */
  async deployable(
    entity: Entity,
    cluster: string,
    namespace: string,
    readNamespace: NamespaceReader = (c, n) => this.namespaceAnnotations(c, n),
  ): Promise<{ ok: true } | { ok: false; reason: string; missing?: boolean }> {
    const annotations = await readNamespace(cluster, namespace);
    if (!annotations) {
      return {
        ok: false,
        missing: true,
        reason: `namespace ${namespace} does not exist on cluster '${cluster}'`,
      };
    }
    const key = this.options.namespaceOwnerAnnotation;
    if (key && !namespaceNamesEntity(annotations[key], entity)) {
      return {
        ok: false,
        reason: `namespace ${namespace} on cluster '${cluster}' is not ${stringifyEntityRef(entity)}'s: its annotation '${key}' does not name it`,
      };
    }
    return { ok: true };
  }

  /**
   * A namespace reader for one answer that asks about many entities (the destinations of an admin): each
   * cluster's namespace is read once, and at most NAMESPACES_AT_ONCE reads run at a time, so a catalog
   * of thousands of entities does not open thousands of requests to the clusters at once.
   */
  sharedNamespaceReader(): NamespaceReader {
    const answers = new Map<
      string,
      Promise<Record<string, string> | undefined>
    >();
    const limit = limiter(NAMESPACES_AT_ONCE);
    return (cluster, namespace) => {
      const key = `${cluster}\u0000${namespace}`;
      let answer = answers.get(key);
      if (!answer) {
        answer = limit(() => this.namespaceAnnotations(cluster, namespace));
        answers.set(key, answer);
      }
      return answer;
    };
  }

  clusterNames(): string[] {
    return this.options.registry.list().map(c => c.name);
  }

  /** The catalog's entities that name this namespace: only they can own a claim in it. */
  private entitiesInNamespace(namespace: string): Promise<Entity[]> {
    return this.askCatalog(
      `entities of namespace ${namespace}`,
      async credentials =>
        (
          await this.options.catalog.getEntities(
            {
              filter: {
                [`metadata.annotations.${KUBERNETES_NAMESPACE_ANNOTATION}`]:
                  namespace,
              },
            },
            { credentials },
          )
        ).items,
    );
  }

  private async askCatalog<T>(
    what: string,
    ask: (credentials: BackstageCredentials) => Promise<T>,
  ): Promise<T> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    try {
      return await ask(credentials);
    } catch (error) {
      this.options.logger?.warn(
        `namespace-transfer: the catalog failed to answer for ${what}`,
        isError(error) ? error : undefined,
      );
      throw new BadGatewayError(
        `The catalog could not be asked who owns what (${what})`,
      );
    }
  }

  private async claimLabels(claim: ClaimRef): Promise<Record<string, string>> {
    const pvc = await this.onCluster(
      claim.cluster,
      `reading claim ${claim.namespace}/${claim.claim}`,
      async (api, retry) => {
        try {
          return await withRetry(
            () =>
              api.core.readNamespacedPersistentVolumeClaim({
                namespace: claim.namespace,
                name: claim.claim,
              }),
            retry,
          );
        } catch (error) {
          if (httpStatus(error) === 404) return undefined;
          throw error;
        }
      },
    );
    if (!pvc) {
      throw new NotFoundError(
        `No claim ${claim.namespace}/${claim.claim} on cluster '${claim.cluster}'`,
      );
    }
    return pvc.metadata?.labels ?? {};
  }

  /** A namespace's annotations; undefined when the namespace does not exist. */
  private namespaceAnnotations(
    cluster: string,
    namespace: string,
  ): Promise<Record<string, string> | undefined> {
    return this.onCluster(
      cluster,
      `reading namespace ${namespace}`,
      async (api, retry) => {
        try {
          const ns = await withRetry(
            () => api.core.readNamespace({ name: namespace }),
            retry,
          );
          return ns.metadata?.annotations ?? {};
        } catch (error) {
          if (httpStatus(error) === 404) return undefined;
          throw error;
        }
      },
    );
  }

  private async onCluster<T>(
    cluster: string,
    what: string,
    call: (
      api: ReturnType<ReturnType<ClusterRegistry['clients']>['withSignal']>,
      retry: typeof PORTAL_RETRY,
    ) => Promise<T>,
  ): Promise<T> {
    const { registry, timeoutMs, logger } = this.options;
    if (!registry.list().some(c => c.name === cluster)) {
      throw new InputError(
        `Unknown cluster '${cluster}'; configured: ${this.clusterNames().join(', ') || 'none'}`,
      );
    }
    try {
      return await withTimeout(
        signal =>
          call(registry.clients(cluster).withSignal(signal), {
            ...PORTAL_RETRY,
            signal,
          }),
        timeoutMs,
        `${what} on cluster '${cluster}'`,
      );
    } catch (error) {
      const classified = classifyClusterError(cluster, error);
      logger?.warn(
        `namespace-transfer: ${what} on cluster '${cluster}' failed (${classified.reason}): ${classified.message}`,
      );
      throw new BadGatewayError(
        `Cluster '${cluster}' could not be asked who owns what (${classified.reason}): ${classified.message}`,
      );
    }
  }
}
