import { Volume } from './types';

/**
 * Why a cluster could not answer.
 *
 * @public
 */
export type ClusterErrorReason =
  'unreachable' | 'unauthorized' | 'forbidden' | 'timeout' | 'tls' | 'error';

/** @public */
export interface ClusterError {
  reason: ClusterErrorReason;
  /** a message for people: what failed and what to check */
  message: string;
  /** HTTP status from the API server, when there was one */
  statusCode?: number;
}

/**
 * One cluster's part of an entity's volumes; `error` set means this cluster could not be read.
 *
 * @public
 */
export interface ClusterVolumes {
  cluster: string;
  volumes: Volume[];
  error?: ClusterError;
}

/**
 * How the entity's Kubernetes resources are found (the same rules as Backstage's Kubernetes plugin).
 *
 * @public
 */
export interface EntityKubernetesSelector {
  labelSelector: string;
  /** when set, only this namespace is searched */
  namespace?: string;
}

/**
 * Response of `GET /volumes?entityRef=...`.
 *
 * @public
 */
export interface EntityVolumesResponse {
  entityRef: string;
  selector: EntityKubernetesSelector;
  clusters: ClusterVolumes[];
}

/**
 * One configured cluster and whether it answers.
 *
 * @public
 */
export interface ClusterStatus {
  name: string;
  url: string;
  /** true when the API server answered /version with the configured credentials */
  reachable: boolean;
  /** the server's gitVersion when reachable */
  version?: string;
  /** serves route.openshift.io */
  openshift?: boolean;
  skipTLSVerify: boolean;
  error?: ClusterError;
}

/**
 * Response of `GET /clusters`.
 *
 * @public
 */
export interface ClustersResponse {
  clusters: ClusterStatus[];
}
