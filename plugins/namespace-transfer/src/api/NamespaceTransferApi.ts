import { createApiRef } from '@backstage/core-plugin-api';
import {
  BatchRequest,
  BytesPerDayResponse,
  ClustersResponse,
  DecisionBody,
  EntityVolumesResponse,
  EventsQuery,
  ListQuery,
  Plan,
  TransferBatchResponse,
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

/**
 * The frontend's view of the Namespace Transfer backend. Every method rejects with a ResponseError
 * (`@backstage/errors`) when the backend refuses, carrying the backend's message for the page to show.
 *
 * @public
 */
export interface NamespaceTransferApi {
  /** The entity's PVCs on every configured cluster, with a per-cluster error where a cluster failed. */
  getEntityVolumes(entityRef: string): Promise<EntityVolumesResponse>;
  /** The configured clusters and whether the backend can reach them. */
  getClusters(): Promise<ClustersResponse>;

  /** The dry run: the plan the engine would follow, refusals included; nothing is stored. */
  planTransfer(request: TransferRequest): Promise<Plan>;
  /** Requests one claim's transfer; it waits for its source owners' approval. */
  requestTransfer(request: TransferRequest): Promise<TransferSummary>;
  /** Requests several claims of a namespace (all of them when none are named), one transfer each. */
  requestBatch(request: BatchRequest): Promise<TransferBatchResponse>;
  /** The transfers the caller may read, filtered and sorted, one page at a time. */
  listTransfers(query?: ListQuery): Promise<TransferPage>;
  /**
   * The audit export of every transfer the caller may read that matches the filters (no paging: every
   * match), as CSV, with the file name the backend gives it (e.g. `namespace-transfers-2026-12-05.csv`).
   */
  exportTransfers(
    query?: Omit<ListQuery, 'limit' | 'cursor'>,
  ): Promise<{ filename: string; blob: Blob }>;
  /** Requests waiting for the caller's approval (follow `nextCursor`: a page may hold fewer than the limit). */
  getPendingApprovals(query?: ListQuery): Promise<TransferPage>;
  /** One transfer and the decisions taken on it. */
  getTransfer(id: string): Promise<TransferDetail>;
  /** The transfer's event log after a cursor (the last event id read). */
  getTransferEvents(
    id: string,
    query?: EventsQuery,
  ): Promise<TransferEventPage>;

  approveTransfer(id: string, body?: DecisionBody): Promise<TransferSummary>;
  rejectTransfer(id: string, body?: DecisionBody): Promise<TransferSummary>;
  /** A running transfer is rolled back; refused past the point of no return. */
  cancelTransfer(id: string, body?: DecisionBody): Promise<TransferSummary>;
  /** A failed or cancelled transfer as a new attempt. */
  retryTransfer(id: string, body?: DecisionBody): Promise<TransferSummary>;
  /** Continues a failure left for a resume from its checkpoint. */
  resumeTransfer(id: string, body?: DecisionBody): Promise<TransferSummary>;
  /** Cuts a staged transfer over now. */
  cutoverTransfer(id: string, body?: DecisionBody): Promise<TransferSummary>;

  /** Where the caller may request into, with each destination cluster's storage classes. */
  getDestinations(): Promise<TransferDestinationsResponse>;
  /** Transfers per state, of those the caller may read that match the list's filters (states aside). */
  getStateCounts(
    query?: Omit<ListQuery, 'limit' | 'cursor' | 'sort' | 'order' | 'state'>,
  ): Promise<TransferStateCountsResponse>;
  /** Transfers per UTC day in [from, to) and state (ISO 8601 times); audit permission only. */
  getTransfersPerDay(range: {
    from: string;
    to: string;
  }): Promise<TransfersPerDayResponse>;
  /** What the signed-in user may do in the plugin (admin, auditor, self-approval, cut-over windows). */
  getCallerProfile(): Promise<TransferCallerProfile>;
  /** Bytes moved per UTC day in [from, to) (ISO 8601 times); audit permission only. */
  getBytesPerDay(range: {
    from: string;
    to: string;
  }): Promise<BytesPerDayResponse>;
}

/** @public */
export const namespaceTransferApiRef = createApiRef<NamespaceTransferApi>({
  id: 'plugin.namespace-transfer.service',
});
