/**
 * The Namespace Transfer backend plugin: REST API over the entity's volumes on every configured cluster.
 *
 * @packageDocumentation
 */
export { namespaceTransferPlugin as default } from './plugin';
export {
  readClusterConfigs,
  buildKubeConfig,
  ClusterRegistry,
} from './clusters';
export type { ClusterConfig, ClusterClients, ClusterApis } from './clusters';
export {
  createTransferConditionalDecision,
  transferConditions,
  transferPermissionResourceRef,
  transferPermissionRules,
} from './permissions';
export type {
  ClaimsParams,
  TransferQuery,
  TransferResource,
} from './permissions';
export type {
  KubernetesRequestRef,
  NewTransfer,
  ProgressSummary,
  RequestedVia,
  Transfer,
} from './store';
// kept for compatibility: the states are common's, where the portal reads them too
export { TRANSFER_STATES } from '@namespace-transfer/plugin-namespace-transfer-common';
export type { TransferState } from '@namespace-transfer/plugin-namespace-transfer-common';
