export { readClusterConfigs } from './config';
export type { ClusterConfig } from './config';
export { buildKubeConfig } from './kubeConfig';
export { ClusterRegistry } from './ClusterRegistry';
export type { ClusterClients } from './ClusterRegistry';
export { classifyClusterError, PORTAL_RETRY, withTimeout } from './errors';
export { getClusterStatuses } from './clusterStatus';
