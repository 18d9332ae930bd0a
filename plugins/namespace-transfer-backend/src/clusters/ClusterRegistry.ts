import {
  ApisApi,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  VersionApi,
} from '@kubernetes/client-node';
import { Discovery } from '@namespace-transfer/plugin-namespace-transfer-node';
import { ClusterConfig } from './config';
import { PORTAL_RETRY } from './errors';
import { buildKubeConfig } from './kubeConfig';

/** The typed API clients of one cluster. */
export interface ClusterClients {
  cluster: ClusterConfig;
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  version: VersionApi;
  apis: ApisApi;
  /**
   * The engine's discovery of the cluster's API groups, made once per cluster: the first answer is kept
   * for the life of the backend (a failed one is asked again), so a page costs no extra request.
   */
  discovery: Discovery;
}

/** The configured clusters and their clients, built once per cluster. */
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
    const clients: ClusterClients = {
      cluster,
      kubeConfig,
      core: kubeConfig.makeApiClient(CoreV1Api),
      apps: kubeConfig.makeApiClient(AppsV1Api),
      batch: kubeConfig.makeApiClient(BatchV1Api),
      version: kubeConfig.makeApiClient(VersionApi),
      apis: kubeConfig.makeApiClient(ApisApi),
      discovery: new Discovery(kubeConfig, PORTAL_RETRY),
    };
    this.clientsByName.set(name, clients);
    return clients;
  }
}
