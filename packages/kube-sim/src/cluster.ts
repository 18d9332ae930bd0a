import { mkdir, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { startApiServer } from './apiserver';
import {
  startControllers,
  type PvBinder,
  type PvBinderOptions,
} from './controllers';
import { startKubelet } from './kubelet';
import { allocateAddressPlan, startNetwork } from './network';
import { createCertificateAuthority } from './pki';
import type { ImageSpec } from './kubelet/image/contents';
import type {
  AddressPlan,
  ApiServer,
  Kubelet,
  Stoppable,
  UserInfo,
} from './contracts';
import { kubeConfigFor, kubeconfigYaml } from './kubeconfig';
import { installIngressNginxClass } from './seed/ingressNginx';
import { startAttachedCluster, type AttachTarget } from './attach';

export interface ClusterOptions {
  name: string;
  /**
   * Attach to an external API server instead of starting one: only the kubelet, the network and the
   * hostpath provisioner run (attach.ts); options of kube-sim's API server (openshift, rbac, apiPort)
   * are the external server's business then
   */
  attach?: AttachTarget;
  /** serve route.openshift.io and apps.openshift.io, and annotate namespaces with UID ranges */
  openshift?: boolean;
  /** enforce RBAC for tokens that are not in system:masters (default true) */
  rbac?: boolean;
  /** API server port on the cluster's node address (default 6443) */
  apiPort?: number;
  /** default Route host suffix (default apps.<name>.kube-sim.test) */
  routeDomain?: string;
  /**
   * false: a bare-metal cluster without a load balancer implementation: LoadBalancer Services get node
   * ports but never an address (default true)
   */
  loadBalancer?: boolean;
  /**
   * Images whose containers see, of the executable directories (/usr/bin, /bin, ...), only the files of
   * these Debian packages as the host's dpkg installed them, with PATH limited to their directories:
   * a tool the real image lacks is missing here too. The key is the image reference exactly as pods
   * name it; other images see the host's executables. Every package must be installed on the host.
   */
  images?: Record<string, ImageSpec>;
  /**
   * false: no IngressClass, as on a cluster without an ingress controller installed; by default the
   * `nginx` class of the ingress-nginx that kube-sim's router stands in for is installed
   */
  ingressClass?: boolean;
  /** the PV controller: its sync period (default 15 s, as kube-controller-manager's) */
  pvBinder?: PvBinderOptions;
}

export interface SimCluster {
  name: string;
  /** https://127.N.0.1:6443 */
  server: string;
  caPem: string;
  /** base64 of caPem, as Backstage's `caData` and kubeconfigs want it */
  caData: string;
  /** admin bearer token (group system:masters) */
  token: string;
  kubeconfigPath: string;
  dataDir: string;
  address: AddressPlan;
  openshift: boolean;
  routeDomain: string;
  nodeName: string;
  /** a KubeConfig for the admin */
  kubeConfig(): KubeConfig;
  /** a token for any identity, authorised by RBAC objects in the cluster; returns a KubeConfig for it */
  userKubeConfig(user: UserInfo): KubeConfig;
  /** the same, for a ServiceAccount `system:serviceaccount:<ns>:<name>` */
  serviceAccountKubeConfig(
    namespace: string,
    name: string,
  ): { token: string; kubeConfig: KubeConfig };
  apiServer: ApiServer;
  kubelet: Kubelet;
  /** the PV controller (tests count its periodic syncs) */
  pvBinder: PvBinder;
  stop(): Promise<void>;
}

const newToken = () => randomBytes(24).toString('base64url');

/**
 * Starts one cluster: API server, controllers, network and one kubelet, each talking to the API server
 * only through its public API with a token of its own, as they would on a real control plane.
 */
export async function startCluster(
  opts: ClusterOptions,
  dataDir: string,
  worldDir: string,
): Promise<SimCluster> {
  if (opts.attach)
    return startAttachedCluster(
      { ...opts, attach: opts.attach },
      dataDir,
      worldDir,
    );
  const stack: Stoppable[] = [];
  const stopAll = async () => {
    for (const part of stack.reverse()) {
      await part.stop().catch(() => undefined);
    }
    stack.length = 0;
  };
  try {
    await mkdir(dataDir, { recursive: true });
    const address = await allocateAddressPlan();
    stack.push({ stop: async () => address.release() });
    const name = opts.name;
    const openshift = opts.openshift ?? false;
    const routeDomain = opts.routeDomain ?? `apps.${name}.kube-sim.test`;
    const nodeName = `${name}-node-1`;

    const ca = await createCertificateAuthority(`kube-sim-${name}-ca`);
    const serving = await ca.issue({
      commonName: 'kube-apiserver',
      dnsNames: [
        'localhost',
        'kubernetes',
        'kubernetes.default',
        'kubernetes.default.svc',
        'kubernetes.default.svc.cluster.local',
      ],
      ips: [address.nodeIP, address.serviceRange.first],
      usage: 'server',
    });
    const kubeletClient = await ca.issue({
      commonName: 'kube-apiserver-kubelet-client',
      organizations: ['system:masters'],
      usage: 'client',
    });
    const kubeletServing = await ca.issue({
      commonName: nodeName,
      ips: [address.nodeIP],
      usage: 'server',
    });

    const masters = (username: string): UserInfo => ({
      username,
      groups: ['system:masters', 'system:authenticated'],
    });
    const tokens = {
      admin: newToken(),
      controllers: newToken(),
      kubelet: newToken(),
      network: newToken(),
    };
    const apiServer = await startApiServer({
      clusterName: name,
      address,
      port: opts.apiPort ?? 6443,
      ca,
      serving,
      kubeletClient,
      openshift,
      routeDomain,
      rbac: opts.rbac ?? true,
      tokens: {
        [tokens.admin]: masters('kube-sim-admin'),
        [tokens.controllers]: masters('system:kube-controller-manager'),
        [tokens.kubelet]: {
          username: `system:node:${nodeName}`,
          groups: ['system:nodes', 'system:masters', 'system:authenticated'],
        },
        [tokens.network]: masters('system:kube-proxy'),
      },
    });
    stack.push(apiServer);
    const server = apiServer.url;
    const kc = (token: string) =>
      kubeConfigFor({ name, server, caPem: ca.certPem, token });

    const network = await startNetwork({
      kubeConfig: kc(tokens.network),
      clusterName: name,
      address,
      dataDir: join(dataDir, 'network'),
      worldDir,
      routeDomain,
      loadBalancer: opts.loadBalancer,
    });
    stack.push(network);
    const controllers = await startControllers({
      kubeConfig: kc(tokens.controllers),
      clusterName: name,
      dataDir,
      nodeName,
      pvBinder: opts.pvBinder,
    });
    stack.push(controllers);
    const kubelet = await startKubelet({
      kubeConfig: kc(tokens.kubelet),
      clusterName: name,
      nodeName,
      address,
      dataDir: join(dataDir, 'kubelet'),
      hostsFile: network.hostsFile,
      shimPath: network.shimPath,
      ca,
      serving: kubeletServing,
      images: opts.images,
    });
    stack.push(kubelet);

    if (opts.ingressClass !== false)
      await installIngressNginxClass(kc(tokens.admin));

    const kubeconfigPath = join(dataDir, 'kubeconfig');
    await writeFile(
      kubeconfigPath,
      kubeconfigYaml([
        { name, server, caPem: ca.certPem, token: tokens.admin },
      ]),
      { mode: 0o600 },
    );

    const userKubeConfig = (user: UserInfo) => {
      const token = newToken();
      apiServer.addToken(token, user);
      return kc(token);
    };
    return {
      name,
      server,
      caPem: ca.certPem,
      caData: Buffer.from(ca.certPem).toString('base64'),
      token: tokens.admin,
      kubeconfigPath,
      dataDir,
      address,
      openshift,
      routeDomain,
      nodeName,
      kubeConfig: () => kc(tokens.admin),
      userKubeConfig,
      serviceAccountKubeConfig(namespace, saName) {
        const token = newToken();
        apiServer.addToken(token, {
          username: `system:serviceaccount:${namespace}:${saName}`,
          groups: [
            'system:serviceaccounts',
            `system:serviceaccounts:${namespace}`,
            'system:authenticated',
          ],
        });
        return { token, kubeConfig: kc(token) };
      },
      apiServer,
      kubelet,
      pvBinder: controllers.pvBinder,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
