import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BatchRequest,
  BytesPerDayResponse,
  ClustersResponse,
  DecisionBody,
  EntityVolumesResponse,
  EventsQuery,
  eventsQueryParams,
  ListQuery,
  listQueryParams,
  Plan,
  TransferBatchResponse,
  TransferDecisionKind,
  TransferDestinationsResponse,
  TransferDetail,
  TransferEventPage,
  TransferPage,
  TransferRequest,
  TransferCallerProfile,
  TransferStateCountsResponse,
  TransferSummary,
  TransfersPerDayResponse,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi } from './NamespaceTransferApi';

const withQuery = (path: string, params: URLSearchParams) => {
  const query = params.toString();
  return query ? `${path}?${query}` : path;
};

const transferPath = (id: string) => `/transfers/${encodeURIComponent(id)}`;

/** The file name of a Content-Disposition `attachment; filename="..."`. */
function filenameOf(response: Response): string {
  const disposition = response.headers.get('content-disposition') ?? '';
  return (
    /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'namespace-transfers.csv'
  );
}

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

  async planTransfer(request: TransferRequest): Promise<Plan> {
    return this.post('/plans', request);
  }

  async requestTransfer(request: TransferRequest): Promise<TransferSummary> {
    return this.post('/transfers', request);
  }

  async requestBatch(request: BatchRequest): Promise<TransferBatchResponse> {
    return this.post('/batches', request);
  }

  async listTransfers(query?: ListQuery): Promise<TransferPage> {
    return this.get(withQuery('/transfers', listQueryParams(query)));
  }

  /**
   * A Blob rather than a link: the route needs the user's token, which fetchApi adds and a plain link or
   * window.open would not carry; the page saves the Blob under `filename`.
   */
  async exportTransfers(
    query?: Omit<ListQuery, 'limit' | 'cursor'>,
  ): Promise<{ filename: string; blob: Blob }> {
    const response = await this.fetch(
      withQuery('/transfers/export.csv', listQueryParams(query)),
    );
    return { filename: filenameOf(response), blob: await response.blob() };
  }

  async getPendingApprovals(query?: ListQuery): Promise<TransferPage> {
    return this.get(withQuery('/approvals/pending', listQueryParams(query)));
  }

  async getTransfer(id: string): Promise<TransferDetail> {
    return this.get(transferPath(id));
  }

  async getTransferEvents(
    id: string,
    query?: EventsQuery,
  ): Promise<TransferEventPage> {
    return this.get(
      withQuery(`${transferPath(id)}/events`, eventsQueryParams(query)),
    );
  }

  approveTransfer(id: string, body?: DecisionBody) {
    return this.decide(id, 'approve', body);
  }

  rejectTransfer(id: string, body?: DecisionBody) {
    return this.decide(id, 'reject', body);
  }

  cancelTransfer(id: string, body?: DecisionBody) {
    return this.decide(id, 'cancel', body);
  }

  retryTransfer(id: string, body?: DecisionBody) {
    return this.decide(id, 'retry', body);
  }

  resumeTransfer(id: string, body?: DecisionBody) {
    return this.decide(id, 'resume', body);
  }

  cutoverTransfer(id: string, body?: DecisionBody) {
    return this.decide(id, 'cutover', body);
  }

  async getDestinations(): Promise<TransferDestinationsResponse> {
    return this.get('/destinations');
  }

  async getStateCounts(
    query?: Omit<ListQuery, 'limit' | 'cursor' | 'sort' | 'order' | 'state'>,
  ): Promise<TransferStateCountsResponse> {
    return this.get(withQuery('/stats/states', listQueryParams(query)));
  }

  async getTransfersPerDay(range: {
    from: string;
    to: string;
  }): Promise<TransfersPerDayResponse> {
    const params = new URLSearchParams({ from: range.from, to: range.to });
    return this.get(withQuery('/stats/transfers-per-day', params));
  }

  async getCallerProfile(): Promise<TransferCallerProfile> {
    return this.get('/me');
  }

  async getBytesPerDay(range: {
    from: string;
    to: string;
  }): Promise<BytesPerDayResponse> {
    const params = new URLSearchParams({ from: range.from, to: range.to });
    return this.get(withQuery('/stats/bytes-per-day', params));
  }

  private async decide(
    id: string,
    kind: TransferDecisionKind,
    body: DecisionBody = {},
  ): Promise<TransferSummary> {
    return this.post(`${transferPath(id)}/${kind}`, body);
  }

  private async get<T>(path: string): Promise<T> {
    return (await (await this.fetch(path)).json()) as T;
  }

  private async post<T>(path: string, body: object): Promise<T> {
    const response = await this.fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as T;
  }

  private async fetch(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('namespace-transfer');
    const url = `${baseUrl}${path}`;
    const response = await this.fetchApi.fetch(url, init);
    if (!response.ok) {
      // Keeps the backend's error name and message (e.g. which annotation to add) for the UI.
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
