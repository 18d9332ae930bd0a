import { createApiRef } from '@backstage/core-plugin-api';
import {
  ClustersResponse,
  EntityVolumesResponse,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/**
 * The frontend's view of the Namespace Transfer backend.
 *
 * @public
 */
export interface NamespaceTransferApi {
  /** The entity's PVCs on every configured cluster, with a per-cluster error where a cluster failed. */
  getEntityVolumes(entityRef: string): Promise<EntityVolumesResponse>;
  /** The configured clusters and whether the backend can reach them. */
  getClusters(): Promise<ClustersResponse>;
}

/** @public */
export const namespaceTransferApiRef = createApiRef<NamespaceTransferApi>({
  id: 'plugin.namespace-transfer.service',
});
