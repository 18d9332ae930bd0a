import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ClustersResponse,
  EntityVolumesResponse,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi } from './NamespaceTransferApi';

/**
 * Calls the backend through fetchApi, which adds the signed-in user's token.
 *
 * @public
 */
export class NamespaceTransferClient implements NamespaceTransferApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEntityVolumes(entityRef: string): Promise<EntityVolumesResponse> {
    return this.get(`/volumes?entityRef=${encodeURIComponent(entityRef)}`);
  }

  async getClusters(): Promise<ClustersResponse> {
    return this.get('/clusters');
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('namespace-transfer');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      // Keeps the backend's error name and message (e.g. which annotation to add) for the UI.
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
