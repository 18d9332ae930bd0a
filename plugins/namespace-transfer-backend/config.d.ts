export interface Config {
  namespaceTransfer?: {
    /** Budget in milliseconds for all API calls to one cluster within one request (default 15000). */
    clusterRequestTimeoutMs?: number;
  };
  /** The cluster configuration of Backstage's Kubernetes plugin, read by Namespace Transfer too. */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      type: string;
      clusters?: Array<{
        name: string;
        url: string;
        authProvider: string;
        /** @visibility secret */
        serviceAccountToken?: string;
        /** @visibility secret */
        caData?: string;
        caFile?: string;
        skipTLSVerify?: boolean;
        title?: string;
      }>;
    }>;
  };
}
