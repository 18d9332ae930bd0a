import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterOptions, SimCluster } from './cluster';
import { startProvisioner, type PvBinder } from './controllers';
import { startKubelet } from './kubelet';
import type { ImageSpec } from './kubelet/image/contents';
import { allocateAddressPlan, startNetwork } from './network';
import type { RunningNetwork } from './network';
import { createCertificateAuthority, type CertificateAuthority } from './pki';
import type { AddressPlan, ApiServer, Kubelet, Stoppable } from './contracts';
import { installIngressNginxClass } from './seed/ingressNginx';

export interface AttachOptions {
  /**
   * Credentials on the external API server. The parts act with them: the kubelet as a node (nodes,
   * pods and their status, events, the Secrets, ConfigMaps and claims its pods use), the network as
   * kube-proxy and an ingress controller (Services, Pods, EndpointSlices, Ingresses and their status,
   * IngressClasses, Routes), the provisioner as a CSI external-provisioner (claims, volumes, classes).
   */
  kubeConfig: KubeConfig;
  /** names this side of the world's DNS, and the node unless nodeName is given */
  name: string;
  /**
   * the Node to register (default `<name>-attached-<N>`, N the loopback block's octet, so that it never
   * takes over a node of the cluster, kube-sim's `<name>-node-1` included)
   */
  nodeName?: string;
  dataDir: string;
  /** where the world's shared external names live (default `<dataDir>/world`) */
  worldDir?: string;
  /**
   * The CA the API server verifies kubelets with and signs its kubelet client certificate with: it
   * issues the kubelet's serving certificate and the kubelet trusts its clients. Without it a CA of the
   * kubelet's own is made, and `pods/log` through the API server fails verification both ways.
   */
  kubeletCa?: CertificateAuthority;
  /** the default Route domain of the cluster (names the router's canonical hostname) */
  routeDomain?: string;
  /** false: LoadBalancer Services stay pending (no load balancer implementation) */
  loadBalancer?: boolean;
  /** images whose containers see only some Debian packages' executables (ClusterOptions.images) */
  images?: Record<string, ImageSpec>;
}

export interface AttachedParts extends Stoppable {
  nodeName: string;
  /** the loopback block of this node: node, router, pod and load balancer addresses */
  address: AddressPlan;
  kubelet: Kubelet;
  network: RunningNetwork;
  /** the kube-sim.io/hostpath provisioner */
  provisioner: Stoppable;
}

/**
 * Starts kube-sim's node-side parts against an API server that is not kube-sim's: one kubelet running
 * real processes, the network (service proxy, router, DNS) and the hostpath provisioner. The control
 * plane's own controllers (PV binder, scheduler, garbage collector, workload controllers) are the
 * cluster's. Only loopback addresses are ever used: a Service whose ClusterIP is not loopback gets no
 * listener and no DNS record (see the README's attach section).
 */
export async function attachToCluster(
  o: AttachOptions,
): Promise<AttachedParts> {
  const stack: Stoppable[] = [];
  const stop = async () => {
    for (const part of stack.reverse())
      await part.stop().catch(() => undefined);
    stack.length = 0;
  };
  try {
    await mkdir(o.dataDir, { recursive: true });
    const address = await allocateAddressPlan();
    stack.push({ stop: async () => address.release() });
    const nodeName = o.nodeName ?? `${o.name}-attached-${address.octet}`;
    const ca =
      o.kubeletCa ?? (await createCertificateAuthority(`${o.name}-kubelet-ca`));
    const serving = await ca.issue({
      commonName: `system:node:${nodeName}`,
      organizations: ['system:nodes'],
      ips: [address.nodeIP],
      usage: 'server',
    });
    const network = await startNetwork({
      kubeConfig: o.kubeConfig,
      clusterName: o.name,
      address,
      dataDir: join(o.dataDir, 'network'),
      worldDir: o.worldDir ?? join(o.dataDir, 'world'),
      routeDomain: o.routeDomain,
      loadBalancer: o.loadBalancer,
    });
    stack.push(network);
    const provisioner = await startProvisioner({
      kubeConfig: o.kubeConfig,
      clusterName: o.name,
      dataDir: o.dataDir,
      nodeName,
    });
    stack.push(provisioner);
    const kubelet = await startKubelet({
      kubeConfig: o.kubeConfig,
      clusterName: o.name,
      nodeName,
      address,
      dataDir: join(o.dataDir, 'kubelet'),
      hostsFile: network.hostsFile,
      shimPath: network.shimPath,
      ca,
      serving,
      images: o.images,
    });
    stack.push(kubelet);
    return { nodeName, address, kubelet, network, provisioner, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** What `startCluster` needs to attach instead of starting an API server of its own. */
export interface AttachTarget {
  /** path of the kubeconfig that reaches the external API server */
  kubeconfig: string;
  /** its context (default: the current one) */
  context?: string;
  /** see AttachOptions.kubeletCa */
  kubeletCa?: CertificateAuthority;
}

/** The kubeconfig's server, CA and bearer token, as a SimCluster describes its API server. */
export async function describeKubeConfig(
  kc: KubeConfig,
): Promise<{ server: string; caPem: string; token: string }> {
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new Error(
      `kube-sim attach: the kubeconfig's context ${kc.getCurrentContext()} names no cluster`,
    );
  let caPem = '';
  if (cluster.caData) caPem = Buffer.from(cluster.caData, 'base64').toString();
  else if (cluster.caFile) caPem = await readFile(cluster.caFile, 'utf8');
  return {
    server: cluster.server,
    caPem,
    token: kc.getCurrentUser()?.token ?? '',
  };
}

/**
 * A SimCluster whose control plane is external: what kube-sim runs is the attached parts; what only a
 * kube-sim API server can do (its fault injector, minting tokens, the PV controller's handle) throws.
 */
export async function startAttachedCluster(
  opts: ClusterOptions & { attach: AttachTarget },
  dataDir: string,
  worldDir: string,
): Promise<SimCluster> {
  const kc = new KubeConfig();
  kc.loadFromFile(opts.attach.kubeconfig);
  if (opts.attach.context) kc.setCurrentContext(opts.attach.context);
  const { server, caPem, token } = await describeKubeConfig(kc);
  const routeDomain = opts.routeDomain ?? `apps.${opts.name}.kube-sim.test`;
  const parts = await attachToCluster({
    kubeConfig: kc,
    name: opts.name,
    dataDir,
    worldDir,
    kubeletCa: opts.attach.kubeletCa,
    routeDomain,
    loadBalancer: opts.loadBalancer,
    images: opts.images,
  });
  try {
    if (opts.ingressClass !== false) await installIngressNginxClass(kc);
  } catch (e) {
    await parts.stop();
    throw e;
  }
  const external = (what: string) =>
    new Error(
      `kube-sim cluster ${opts.name} is attached to ${server}: ${what} needs kube-sim's own API server`,
    );
  return {
    name: opts.name,
    server,
    caPem,
    caData: Buffer.from(caPem).toString('base64'),
    token,
    kubeconfigPath: opts.attach.kubeconfig,
    dataDir,
    address: parts.address,
    openshift: parts.network.routesServed() ?? false,
    routeDomain,
    nodeName: parts.nodeName,
    kubeConfig: () => {
      const copy = new KubeConfig();
      copy.loadFromString(kc.exportConfig());
      return copy;
    },
    userKubeConfig: () => {
      throw external('userKubeConfig');
    },
    serviceAccountKubeConfig: () => {
      throw external('serviceAccountKubeConfig');
    },
    get apiServer(): ApiServer {
      throw external('apiServer');
    },
    get pvBinder(): PvBinder {
      throw external('pvBinder');
    },
    kubelet: parts.kubelet,
    stop: parts.stop,
  };
}
