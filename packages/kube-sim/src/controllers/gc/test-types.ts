import type { KubeObject } from '../kube/types';

/** Tests use ConfigMaps as the simplest owners and dependents the API server stores as given. */
export interface ConfigMapLike extends KubeObject {
  data?: Record<string, string>;
}
