/**
 * The contracts between the parts of one simulated cluster. `cluster.ts` composes them; each part lives in
 * its own folder and is started by the function named here. The controllers, the kubelet and the network
 * parts get only a KubeConfig and use the public Kubernetes API through @kubernetes/client-node.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { ImageSpec } from './kubelet/image/contents';
import type { CertificateAuthority, KeyPair } from './pki';

export interface Stoppable {
  stop(): Promise<void>;
}

/** The loopback addresses one cluster owns (see README, "Address plan"). */
export interface AddressPlan {
  /** second octet N of 127.N.0.0/16 */
  octet: number;
  /** 127.N.0.1: API server, kubelet, NodePorts */
  nodeIP: string;
  /** 127.N.0.2: Ingress/Route router */
  routerIP: string;
  podRange: { first: string; last: string };
  serviceRange: { first: string; last: string };
  loadBalancerRange: { first: string; last: string };
}

export interface UserInfo {
  username: string;
  groups: string[];
  /** set by an `Impersonate-Uid` header */
  uid?: string;
  /** set by `Impersonate-Extra-<key>` headers (keys lower-case) */
  extra?: Record<string, string[]>;
}

/** One request as fault rules see it: after authentication and impersonation, before authorization. */
export interface FaultRequest {
  verb: string;
  /** plural resource, with the subresource if any: 'pods/status' */
  resource: string;
  namespace?: string;
  /** the object's name; undefined for lists, watches of a collection and creates */
  name?: string;
  /** the user the request acts as: the authenticated one, or whom it impersonates (`Impersonate-User`) */
  user: UserInfo;
}

export interface FaultRule {
  /** get, list, watch, create, update, patch, delete, deletecollection; '*' or undefined for all */
  verb?: string;
  /** plural resource, optionally with subresource: 'pods', 'pods/status', 'persistentvolumeclaims' */
  resource?: string;
  namespace?: string;
  /** object name (see FaultRequest.name: a create has none) */
  name?: string;
  /**
   * Only requests of this authenticated user name, e.g. `system:serviceaccount:<ns>:<name>`. The
   * simulator's controllers, kubelet and network call the same API server with identities of their own,
   * so a test that faults the code under test scopes the rule to that code's identity.
   */
  user?: string;
  /** any further condition; the rule applies only where it returns true */
  when?: (request: FaultRequest) => boolean;
  /** 0..1: share of matching requests that fail */
  errorRate?: number;
  /**
   * Seed of the rule's own PRNG for `errorRate` (default: the injector's seed mixed with the rule's
   * ordinal), so a failing run replays the same decisions for the same sequence of matching requests.
   */
  seed?: number;
  /** HTTP status of the injected failure (default 500); 429 adds Retry-After */
  status?: number;
  /** added to every matching request */
  latencyMs?: number;
  /** stop after this many injected failures */
  count?: number;
}

/**
 * What `add` returns. Calling it removes the rule (as `remove()` does); the counters let a test prove that
 * its faults reached the requests they were meant for, and not a simulator component or nothing at all.
 */
export interface FaultHandle {
  (): void;
  remove(): void;
  /** requests this rule failed */
  readonly hits: number;
  /** requests this rule matched: failed, delayed or let through */
  readonly matched: number;
  /** the seed of this rule's PRNG */
  readonly seed: number;
}

export interface FaultInjector {
  add(rule: FaultRule): FaultHandle;
  /** removes every rule (their handles keep their counts) */
  clear(): void;
  /** failures injected by all rules since the server started */
  hits(): number;
  /** closes every open watch stream (clients must re-list/resume, as after an API server restart) */
  dropWatches(): void;
  /**
   * The API server goes away for `durationMs` (its listener and every open connection, watches and log
   * streams included) and comes back on the same address with the same objects and resourceVersions.
   * The cluster's controllers and kubelet meet it as they would a real one: the pods keep running.
   */
  outage(o: OutageOptions): OutageHandle;
}

export interface OutageOptions {
  durationMs: number;
  /**
   * `reset` (default): a load balancer with no backend resets each connection (ECONNRESET), counted in
   * `refused`; `closed`: nothing listens, the kernel refuses (ECONNREFUSED), which cannot be counted
   */
  mode?: 'reset' | 'closed';
}

/** What `outage` returns: when the window was and what it refused, so a test can prove it hit the run. */
export interface OutageHandle {
  readonly mode: 'reset' | 'closed';
  /** connection attempts refused during the window (`reset` mode only; always 0 for `closed`) */
  readonly refused: number;
  /** when each of them came (ms since the epoch) */
  readonly refusedAt: number[];
  /** when the listener went away (ms since the epoch) */
  readonly startedAt: number;
  /** when it listened again; undefined while the outage lasts */
  readonly endedAt?: number;
  /** settles when the API server listens again */
  readonly over: Promise<void>;
  /** ends the outage now */
  end(): Promise<void>;
}

export interface ApiServerOptions {
  clusterName: string;
  address: AddressPlan;
  /** 0 picks a free port; the default composition uses 6443 */
  port: number;
  ca: CertificateAuthority;
  serving: KeyPair;
  /** client certificate the API server presents to kubelets (they verify it against the cluster CA) */
  kubeletClient: KeyPair;
  openshift: boolean;
  /** default host suffix for Routes without spec.host: `<name>-<namespace>.<routeDomain>` */
  routeDomain: string;
  /** tokens known at start, e.g. the admin's and the system components' */
  tokens: Record<string, UserInfo>;
  /** when false, every authenticated user may do everything (RBAC objects are still stored) */
  rbac: boolean;
}

export interface ApiServer extends Stoppable {
  url: string;
  addToken(token: string, user: UserInfo): void;
  faults: FaultInjector;
  /** starts recording every request answered from now on (see RequestTrace) */
  trace(): RequestTrace;
}

/**
 * One request the API server answered, with the attributes its authorizer saw: the user after
 * impersonation, the RBAC verb as RequestInfo derives it (get, list, watch, create, update, patch, delete,
 * deletecollection; the lower-case method for a non-resource path), the namespace (a namespace's own name
 * for the namespaces resource) and the HTTP code of the answer. A request refused before it was understood
 * (unauthenticated, or its impersonation refused) has no verb or resource: only its path.
 */
export interface TracedRequest {
  user: string;
  groups: string[];
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** for a non-resource request (discovery, /version, /healthz) */
  path?: string;
  code: number;
}

/** A recording of the requests an API server answers, started by ApiServer.trace(). */
export interface RequestTrace {
  /** what was recorded so far */
  requests(): TracedRequest[];
  /** ends the recording; returns everything it saw */
  stop(): TracedRequest[];
}

export interface ControllerOptions {
  kubeConfig: KubeConfig;
  clusterName: string;
  dataDir: string;
  nodeName: string;
}

export interface KubeletOptions {
  kubeConfig: KubeConfig;
  clusterName: string;
  nodeName: string;
  address: AddressPlan;
  dataDir: string;
  /** the hosts file to bind-mount at /etc/hosts in every container */
  hostsFile: string;
  /** the LD_PRELOAD shim (network/shim.ts builds it) */
  shimPath: string;
  ca: CertificateAuthority;
  /** serving certificate of the kubelet's HTTPS endpoint (containerLogs) */
  serving: KeyPair;
  /** images whose containers see only the executables of these Debian packages (see ClusterOptions) */
  images?: Record<string, ImageSpec>;
}

export interface Kubelet extends Stoppable {
  /** fault injection: kill the processes of a pod (all containers, or one) with a signal */
  killPod(
    namespace: string,
    name: string,
    opts?: { container?: string; signal?: NodeJS.Signals },
  ): Promise<void>;
}

export interface NetworkOptions {
  kubeConfig: KubeConfig;
  clusterName: string;
  address: AddressPlan;
  dataDir: string;
  /** shared by clusters started together: each cluster publishes its external names here */
  worldDir: string;
}

export interface Network extends Stoppable {
  hostsFile: string;
  shimPath: string;
}
