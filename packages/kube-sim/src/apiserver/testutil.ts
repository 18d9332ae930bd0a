/** Test fixture: one API server on a random loopback /16 with a fresh CA, and clients for it. */
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import type { AddressPlan, ApiServer, UserInfo } from '../contracts';
import {
  createCertificateAuthority,
  type CertificateAuthority,
  type KeyPair,
} from '../pki';
import { startApiServer, type InternalOptions } from './server';

export const ADMIN_TOKEN = 'admin-token';

export function testAddressPlan(
  octet = 200 + Math.floor(Math.random() * 50),
): AddressPlan {
  const p = `127.${octet}`;
  return {
    octet,
    nodeIP: `${p}.0.1`,
    routerIP: `${p}.0.2`,
    podRange: { first: `${p}.1.1`, last: `${p}.63.254` },
    serviceRange: { first: `${p}.64.1`, last: `${p}.127.254` },
    loadBalancerRange: { first: `${p}.128.1`, last: `${p}.128.254` },
  };
}

export interface TestServer {
  server: ApiServer;
  ca: CertificateAuthority;
  address: AddressPlan;
  kubeletClient: KeyPair;
  kubeConfig(token?: string): KubeConfig;
  /** raw HTTPS request with the admin token unless another is given */
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
}

export async function startTestServer(
  opts: {
    openshift?: boolean;
    rbac?: boolean;
    tokens?: Record<string, UserInfo>;
  } = {},
  internal: InternalOptions = {},
): Promise<TestServer> {
  const address = testAddressPlan();
  const ca = await createCertificateAuthority('kube-sim-test-ca');
  const serving = await ca.issue({
    commonName: 'kube-apiserver',
    dnsNames: ['localhost', 'kubernetes'],
    ips: [address.nodeIP],
    usage: 'server',
  });
  const kubeletClient = await ca.issue({
    commonName: 'kube-apiserver-kubelet-client',
    organizations: ['system:masters'],
    usage: 'client',
  });
  const server = await startApiServer(
    {
      clusterName: 'test',
      address,
      port: 0,
      ca,
      serving,
      kubeletClient,
      openshift: !!opts.openshift,
      routeDomain: 'apps.test.kube-sim.local',
      tokens: {
        [ADMIN_TOKEN]: { username: 'admin', groups: ['system:masters'] },
        ...(opts.tokens ?? {}),
      },
      rbac: !!opts.rbac,
    },
    internal,
  );
  const kubeConfig = (token = ADMIN_TOKEN) => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: 'test',
          server: server.url,
          caData: Buffer.from(ca.certPem).toString('base64'),
          skipTLSVerify: false,
        },
      ],
      users: [{ name: 'user', token }],
      contexts: [{ name: 'test', cluster: 'test', user: 'user' }],
      currentContext: 'test',
    });
    return kc;
  };
  const request: TestServer['request'] = async (
    method,
    path,
    body,
    headers = {},
  ) => {
    return new Promise((resolve, reject) => {
      const data =
        body === undefined
          ? undefined
          : typeof body === 'string'
            ? body
            : JSON.stringify(body);
      const req = https.request(
        `${server.url}${path}`,
        {
          method,
          ca: ca.certPem,
          headers: {
            Authorization: `Bearer ${ADMIN_TOKEN}`,
            ...(data !== undefined
              ? {
                  'Content-Type': 'application/json',
                  'Content-Length': String(Buffer.byteLength(data)),
                }
              : {}),
            ...headers,
          },
        },
        res => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', c => (text += c));
          res.on('end', () => {
            let parsed: any;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = undefined;
            }
            const h = new Headers();
            for (const [k, v] of Object.entries(res.headers))
              if (typeof v === 'string') h.set(k, v);
            resolve({
              status: res.statusCode ?? 0,
              body: parsed,
              text,
              headers: h,
            });
          });
        },
      );
      req.on('error', reject);
      if (data !== undefined) req.write(data);
      req.end();
    });
  };
  return { server, ca, address, kubeletClient, kubeConfig, request };
}
