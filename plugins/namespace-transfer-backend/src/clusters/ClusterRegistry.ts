import {
  ApisApi,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  VersionApi,
} from '@kubernetes/client-node';
import { Discovery } from '@namespace-transfer/plugin-namespace-transfer-node';
import { abortableKubeConfig } from './abortable';
import { ClusterConfig } from './config';
import { PORTAL_RETRY } from './errors';
import { buildKubeConfig } from './kubeConfig';

/**
 * The typed API clients of one cluster, every request of which carries one AbortSignal.
 *
 * @public
 */
export interface ClusterApis {
  /** the cluster's KubeConfig as seen by these clients: give it to the engine to abort its calls too */
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  version: VersionApi;
  apis: ApisApi;
  custom: CustomObjectsApi;
}

/**
 * One configured cluster and the means to call it.
 *
 * @public
 */
export interface ClusterClients {
  cluster: ClusterConfig;
  kubeConfig: KubeConfig;
  /**
   * API clients whose every request, retries included, is aborted when `signal` is (a request's deadline,
   * see withTimeout): a page that gave up on a cluster leaves no call to it running.
   */
  withSignal(signal: AbortSignal): ClusterApis;
  /**
   * Whether the cluster serves `group/version`, by the engine's discovery, asked once per cluster: the
   * first answer is kept for the life of the backend (a failed one is asked again), so a page costs no
   * extra request. Callers waiting at once share one discovery; one whose own signal is still live asks
   * again when another caller's abort ended the shared one.
   */
  isServed(groupVersion: string, signal: AbortSignal): Promise<boolean>;
}

/**
 * The engine's discovery of one cluster's API groups, shared: the first answer is kept for the life of the
 * backend, a failure is not. Callers waiting at once share one discovery, made with the first one's
 * signal; one whose own signal is still live asks again when another caller's abort ended it.
 */
class SharedDiscovery {
  private current?: { served: Promise<Set<string>>; signal: AbortSignal };

  constructor(private readonly kubeConfig: KubeConfig) {}

  async isServed(groupVersion: string, signal: AbortSignal): Promise<boolean> {
    for (;;) {
      const asked = this.current ?? this.start(signal);
      try {
        return (await asked.served).has(groupVersion);
      } catch (error) {
        if (signal.aborted || !asked.signal.aborted) throw error;
        // another caller's deadline ended the shared discovery: ask again within this one's
      }
    }
  }

  private start(signal: AbortSignal) {
    const started = {
      signal,
      served: new Discovery(abortableKubeConfig(this.kubeConfig, signal), {
        ...PORTAL_RETRY,
        signal,
      })
        .servedGroupVersions()
        .catch(error => {
          if (this.current === started) this.current = undefined;
          throw error;
        }),
    };
    this.current = started;
    return started;
  }
}

/**
 * The configured clusters and their clients, built once per cluster.
 *
 * @public
 */
export class ClusterRegistry {
  private readonly clientsByName = new Map<string, ClusterClients>();

  constructor(
    private readonly clusters: ClusterConfig[],
    private readonly makeKubeConfig: (
      cluster: ClusterConfig,
    ) => KubeConfig = buildKubeConfig,
  ) {}

  list(): ClusterConfig[] {
    return [...this.clusters];
  }

  /** Throws when the cluster is unknown or its credentials cannot be assembled. */
  clients(name: string): ClusterClients {
    const cached = this.clientsByName.get(name);
    if (cached) return cached;
    const cluster = this.clusters.find(c => c.name === name);
    if (!cluster) throw new Error(`Unknown cluster '${name}'`);
    const kubeConfig = this.makeKubeConfig(cluster);
    const discovery = new SharedDiscovery(kubeConfig);
    const clients: ClusterClients = {
      cluster,
      kubeConfig,
      withSignal(signal) {
        const kc = abortableKubeConfig(kubeConfig, signal);
        return {
          kubeConfig: kc,
          core: kc.makeApiClient(CoreV1Api),
          apps: kc.makeApiClient(AppsV1Api),
          batch: kc.makeApiClient(BatchV1Api),
          version: kc.makeApiClient(VersionApi),
          apis: kc.makeApiClient(ApisApi),
          custom: kc.makeApiClient(CustomObjectsApi),
        };
      },
      isServed: (groupVersion, signal) =>
        discovery.isServed(groupVersion, signal),
    };
    this.clientsByName.set(name, clients);
    return clients;
  }
}
