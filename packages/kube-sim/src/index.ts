import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type ClusterOptions, type SimCluster } from './cluster';
import { kubeconfigYaml } from './kubeconfig';

export type { ClusterOptions, SimCluster } from './cluster';
export type {
  FaultRule,
  FaultRequest,
  FaultHandle,
  FaultInjector,
  OutageHandle,
  OutageOptions,
  UserInfo,
  AddressPlan,
  RequestTrace,
  TracedRequest,
} from './contracts';
export type { ImageSpec } from './kubelet/image/contents';
export { kubeconfigYaml } from './kubeconfig';
export {
  attachToCluster,
  type AttachOptions,
  type AttachedParts,
  type AttachTarget,
} from './attach';
export { startKubelet } from './kubelet';
export {
  startNetwork,
  type RunningNetwork,
  type StartNetworkOptions,
} from './network';
export {
  startControllers,
  startProvisioner,
  PROVISIONER_NAME,
} from './controllers';
export type { CertificateAuthority, KeyPair } from './pki';
export type {
  ControllerOptions,
  Kubelet,
  KubeletOptions,
  NetworkOptions,
} from './contracts';
export { createCertificateAuthority, loadCertificateAuthority } from './pki';

export interface WorldOptions {
  /** where data, kubeconfigs and the shared DNS live; default a new temp dir, removed by stop() */
  dir?: string;
  /** keep `dir` on stop (default: keep it when given, remove it when it is a temp dir) */
  keep?: boolean;
}

export interface SimWorld {
  dir: string;
  clusters: SimCluster[];
  cluster(name: string): SimCluster;
  /** one kubeconfig with a context per cluster (current: the first) */
  kubeconfigPath: string;
  stop(): Promise<void>;
}

/**
 * Starts clusters that share one "world": their Route/Ingress host names resolve in each other's pods,
 * as public DNS would make them resolve between real clusters.
 */
export async function startClusters(
  specs: ClusterOptions[],
  opts: WorldOptions = {},
): Promise<SimWorld> {
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'kube-sim-')));
  const keep = opts.keep ?? opts.dir !== undefined;
  const worldDir = join(dir, 'world');
  await mkdir(worldDir, { recursive: true });
  const clusters: SimCluster[] = [];
  const stop = async () => {
    await Promise.all(clusters.map(c => c.stop()));
    // A container killed a moment ago may still be flushing a file: retry on ENOTEMPTY/EBUSY.
    if (!keep)
      await rm(dir, {
        recursive: true,
        force: true,
        maxRetries: 10,
        retryDelay: 100,
      });
  };
  try {
    // One at a time: each start allocates an address block and a port set.
    for (const spec of specs) {
      clusters.push(await startCluster(spec, join(dir, spec.name), worldDir));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeFile(
    kubeconfigPath,
    kubeconfigYaml(
      clusters.map(c => ({
        name: c.name,
        server: c.server,
        caPem: c.caPem,
        token: c.token,
      })),
    ),
    { mode: 0o600 },
  );
  return {
    dir,
    clusters,
    kubeconfigPath,
    cluster(name) {
      const found = clusters.find(c => c.name === name);
      if (!found)
        throw new Error(
          `no cluster named ${name}; have ${clusters.map(c => c.name).join(', ')}`,
        );
      return found;
    },
    stop,
  };
}

export { startCluster };
export {
  seedDemoCluster,
  demoManifests,
  applyManifests,
  readManifests,
  DEMO_CLUSTERS,
  installIngressNginxClass,
} from './seed';
