/**
 * A real kube-sim API server for integration tests: its own loopback /16 (held with the same lock the
 * cluster uses, so parallel test files never share addresses), a fresh CA with a serving certificate and
 * the kubelet client certificate, and the given bearer tokens. Every kind of test starts it this way.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { startApiServer, type InternalOptions } from '../apiserver';
import type { AddressPlan, ApiServer, UserInfo } from '../contracts';
import { kubeConfigFor } from '../kubeconfig';
import { allocateAddressPlan } from '../network/address/allocate';
import {
  createCertificateAuthority,
  type CertificateAuthority,
  type KeyPair,
} from '../pki';

/** A user in system:masters, for the tests' own calls. */
export const MASTER: UserInfo = {
  username: 'admin',
  groups: ['system:masters', 'system:authenticated'],
};

export interface TestApiServerOptions {
  /** cluster, CA and kubeconfig name */
  name: string;
  tokens: Record<string, UserInfo>;
  /** defaults to true, as in a real cluster */
  rbac?: boolean;
  openshift?: boolean;
  /** defaults to `apps.<name>.test` */
  routeDomain?: string;
  internal?: InternalOptions;
}

export interface TestApiServer {
  api: ApiServer;
  ca: CertificateAuthority;
  caPem: string;
  plan: AddressPlan;
  /** the certificate the API server presents to kubelets */
  kubeletClient: KeyPair;
  /** a kubeconfig that authenticates with one of the tokens */
  kubeConfig(token: string): KubeConfig;
  /** stops the server and releases its addresses */
  stop(): Promise<void>;
}

export async function startTestApiServer(
  opts: TestApiServerOptions,
): Promise<TestApiServer> {
  const plan = await allocateAddressPlan();
  try {
    const ca = await createCertificateAuthority(`${opts.name}-ca`);
    const serving = await ca.issue({
      commonName: 'kube-apiserver',
      dnsNames: ['localhost', 'kubernetes'],
      ips: [plan.nodeIP],
      usage: 'server',
    });
    const kubeletClient = await ca.issue({
      commonName: 'kube-apiserver-kubelet-client',
      organizations: ['system:masters'],
      usage: 'client',
    });
    const api = await startApiServer(
      {
        clusterName: opts.name,
        address: plan,
        port: 0,
        ca,
        serving,
        kubeletClient,
        openshift: !!opts.openshift,
        routeDomain: opts.routeDomain ?? `apps.${opts.name}.test`,
        rbac: opts.rbac ?? true,
        tokens: opts.tokens,
      },
      opts.internal,
    );
    return {
      api,
      ca,
      caPem: ca.certPem,
      plan,
      kubeletClient,
      kubeConfig: token =>
        kubeConfigFor({
          name: opts.name,
          server: api.url,
          caPem: ca.certPem,
          token,
        }),
      async stop() {
        await api.stop();
        plan.release();
      },
    };
  } catch (e) {
    plan.release();
    throw e;
  }
}
