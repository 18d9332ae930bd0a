export interface Config {
  namespaceTransfer?: {
    /** Budget in milliseconds for all API calls to one cluster within one request (default 15000). */
    clusterRequestTimeoutMs?: number;
    /**
     * How long in milliseconds one cluster's volumes for one entity selector are reused (default 5000): a
     * burst of identical requests makes one round of lists. 0 shares only readings in flight. Failures
     * are not kept.
     */
    volumesCacheTtlMs?: number;
    /**
     * Per-caller limit of the routes that call the clusters (volumes, clusters), in memory: a user is
     * counted by their entity ref, a service by its subject; over it they answer 429 with Retry-After.
     */
    rateLimit?: {
      /** Requests a caller may make at once (default 30). */
      burst?: number;
      /** Requests a caller may make per minute on average (default 60). */
      perMinute?: number;
    };
    /** The pods that move the data in copy mode. */
    mover?: {
      /**
       * Their container image (default `ghcr.io/namespace-transfer/mover:<engine version>`, built from
       * deploy/images/mover): one with the same packages, e.g. the project's image pushed to a registry
       * of your own.
       */
      image?: string;
      /**
       * Requests and limits of each mover container (rsync or rclone, and the stunnel sidecar), as
       * Kubernetes quantities; for the transfer worker, which passes them to the engine as
       * GatherOptions.moverResources. Only the operator sets them: the portal's requesters cannot.
       * Requests default to cpu 100m and memory 128Mi (always set: a quota that counts requests refuses
       * pods without them). No limits by default; where a namespace's ResourceQuota names limits.cpu or
       * limits.memory, `demandedLimits` (default cpu 1, memory 512Mi) are given. A CPU limit throttles
       * stunnel's TLS and so the copy rate: keep it at a core or more.
       */
      resources?: {
        requests?: { cpu?: string; memory?: string };
        limits?: { cpu?: string; memory?: string };
        demandedLimits?: { cpu?: string; memory?: string };
      };
    };
  };
  /** The cluster configuration of Backstage's Kubernetes plugin, read by Namespace Transfer too. */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      type: string;
      clusters?: Array<{
        name: string;
        /** https:// (http:// only with allowInsecureHttp, development only) */
        url: string;
        authProvider: string;
        /**
         * Required, except for the in-cluster API server (https://kubernetes.default.svc), which gets the
         * backend pod's own service account token.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** @visibility secret */
        caData?: string;
        caFile?: string;
        skipTLSVerify?: boolean;
        /**
         * Development only: accept an http:// url, over which the token travels in clear text. Without it
         * such a cluster is refused at startup.
         */
        allowInsecureHttp?: boolean;
        title?: string;
      }>;
    }>;
  };
}
