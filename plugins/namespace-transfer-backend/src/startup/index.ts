export { checkConfigAgainstSchema } from './checkConfig';
export { explainMigrationFailure } from './migrations';
export { reportClusterAccess, READ_PATH_RIGHTS } from './clusterAccess';
export type { ClusterAccess } from './clusterAccess';
