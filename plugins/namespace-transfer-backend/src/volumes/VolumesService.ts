import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EntityVolumesResponse } from '@namespace-transfer/plugin-namespace-transfer-common';
import { classifyClusterError, ClusterRegistry } from '../clusters';
import { entityKubernetesSelector } from '../entities';
import { readClusterVolumes } from './readClusterVolumes';

export interface VolumesServiceOptions {
  catalog: CatalogService;
  registry: ClusterRegistry;
  /** per-cluster budget for all calls of one request */
  timeoutMs: number;
}

/** Answers "which PVCs does this catalog entity have, on which cluster, used by whom". */
export class VolumesService {
  constructor(private readonly options: VolumesServiceOptions) {}

  async getEntityVolumes(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityVolumesResponse> {
    // The caller's credentials: a user who cannot see the entity in the catalog cannot list its volumes.
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    const selector = entityKubernetesSelector(entity);
    const { registry, timeoutMs } = this.options;

    const clusters = await Promise.all(
      registry.list().map(async cluster => {
        try {
          const volumes = await readClusterVolumes(
            registry.clients(cluster.name),
            selector,
            timeoutMs,
          );
          return { cluster: cluster.name, volumes };
        } catch (error) {
          return {
            cluster: cluster.name,
            volumes: [],
            error: classifyClusterError(cluster.name, error),
          };
        }
      }),
    );
    return { entityRef, selector, clusters };
  }
}
