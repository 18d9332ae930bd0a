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
    /**
     * Users or groups (entity refs, e.g. `group:default/platform-team`) who may request into any configured
     * cluster and namespace, approve or reject any request, cancel, retry and cut over any transfer, and
     * read all of them. Ownership is required of everyone else; the permission policy can only narrow it.
     */
    admins?: string[];
    /** Who approves a request, and how long a request waits for them. */
    approvals?: {
      /** Distinct approvals a request needs before it runs (default 1). */
      required?: number;
      /** Whether a requester who also owns the source may approve their own request (default false). */
      allowSelfApproval?: boolean;
      /**
       * How long a request waits for a decision before it expires, as a duration string (`7d`, `36h`) or
       * an object (`{ days: 7 }`); default 7 days.
       */
      expireAfter?:
        string | { days?: number; hours?: number; minutes?: number };
    };
    /** How catalog entities own volumes. */
    ownership?: {
      /**
       * A namespace annotation set by a cluster's administrators (e.g. `example.com/owner`) whose value must
       * name the entity (its entity ref, or its name) for the entity to own claims in that namespace. Where
       * a namespace lacks it, no entity owns its claims but through the admins. Not set: not checked.
       */
      namespaceOwnerAnnotation?: string;
    };
    /** The transfer worker: how many transfers run at once and how it holds them. */
    worker?: {
      /** Whether this backend replica runs transfers at all (default true). */
      enabled?: boolean;
      concurrency?: {
        /** Transfers running at once on this replica (default 4). */
        global?: number;
        /** Transfers running at once that touch one cluster, as source or destination (default 2). */
        perCluster?: number;
      };
      /** How long a replica's claim on a running transfer lasts without a heartbeat (default `60s`). */
      leaseDuration?: string;
      /** How often the worker looks for approved transfers besides being told (default `5s`). */
      pollInterval?: string;
      /** Least time between two stored progress samples of one transfer (default `5s`). */
      progressSampleInterval?: string;
      /**
       * How long a cluster may not answer at all during a transfer before it fails without rolling back,
       * for a resume (default `5m`).
       */
      outageBudget?: string;
      /**
       * The identity transfers run as, per cluster: the token of the engine's ServiceAccount
       * (`namespace-transfer-engine`, bound to the copy and rebind roles of deploy/), while the portal reads
       * with the `serviceAccountToken` of the `kubernetes.clusterLocatorMethods` entry of the same name, whose
       * URL and CA are used. A name that matches no such entry stops start-up. A cluster left out runs its
       * transfers with that entry's token, with a start-up warning naming it (one-token setups).
       */
      clusters?: Array<{
        /** the `name` of a cluster entry of kubernetes.clusterLocatorMethods */
        name: string;
        /** @visibility secret */
        serviceAccountToken: string;
      }>;
    };
    /**
     * The KEP bridge: on the clusters named here the backend runs the engine's KEP controller (one replica
     * at a time, through a coordination.k8s.io Lease), which acts on NamespaceTransferRequests and
     * NamespaceTransferApprovals made with the Kubernetes API (kubectl), and records the transfers it runs
     * in the same store and audit trail as the portal's, marked as requested through the Kubernetes API.
     */
    kep?: {
      /**
       * Clusters (the `name` of kubernetes.clusterLocatorMethods entries) where the controller runs, as the
       * engine's identity of namespaceTransfer.worker.clusters; a name that matches no cluster stops
       * start-up. Default none: KEP objects are left to a controller deployed on its own.
       */
      clusters?: string[];
      /**
       * The namespace of the controller's leader-election Lease on each of those clusters (default
       * `namespace-transfer-system`); the engine's identity needs the Lease verbs there (deploy/rbac).
       */
      leaseNamespace?: string;
    };
    /**
     * When staged transfers may cut over (stop the application, final sync, switch). None: at any time.
     * A cutoverAt outside every window waits for the next one.
     */
    maintenanceWindows?: Array<{
      /** Days the window opens on: `mon` … `sun` (default every day). */
      days?: Array<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'>;
      /** `HH:MM`, 24-hour, in timeZone */
      start: string;
      /** `HH:MM`; before start means the window ends the next day */
      end: string;
      /** IANA time zone (default UTC) */
      timeZone?: string;
    }>;
    /** What a request gets when it does not say (requesters may choose these; the rest is config). */
    defaults?: {
      mode?: 'auto' | 'copy' | 'rebind';
      intent?: 'move' | 'clone';
      mover?: 'rsync' | 'rclone';
      transport?: 'stunnel' | 'null';
      endpoint?:
        | 'auto'
        | 'clusterip'
        | 'nodeport'
        | 'loadbalancer'
        | 'ingress'
        | 'route';
      verify?: 'none' | 'sample' | 'full';
    };
    /** How the destination of a cross-cluster copy is reached (the engine's endpoint facts). */
    endpoint?: {
      /** Hosts of the `ingress` endpoint are `<name>.<ingressDomain>`; not set: no ingress endpoint. */
      ingressDomain?: string;
      /** Whether LoadBalancer Services get an address on the destination clusters. */
      loadBalancer?: boolean;
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
