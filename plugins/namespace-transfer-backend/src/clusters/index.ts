export { readClusterConfigs, isInClusterApiServer } from './config';
export type { ClusterConfig } from './config';
export { buildKubeConfig } from './kubeConfig';
export { abortableKubeConfig } from './abortable';
export { ClusterRegistry } from './ClusterRegistry';
export { engineKubeConfigs, readEngineTokens } from './engineIdentity';
export type { ClusterApis, ClusterClients } from './ClusterRegistry';
export {
  classifyClusterError,
  PORTAL_RETRY,
  scrubMessage,
  withTimeout,
} from './errors';
export { getClusterStatuses } from './clusterStatus';
