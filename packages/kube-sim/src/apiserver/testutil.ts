/** Test fixture: one API server on a random loopback /16 with a fresh CA, and clients for it. */
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { AddressPlan, ApiServer, UserInfo } from '../contracts';
import type { CertificateAuthority, KeyPair } from '../pki';
import { startTestApiServer } from '../testing/apiServer';
import type { InternalOptions } from './server';

export const ADMIN_TOKEN = 'admin-token';

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
  /** stops the server and releases its addresses */
  stop(): Promise<void>;
}

export async function startTestServer(
  opts: {
    openshift?: boolean;
    rbac?: boolean;
    tokens?: Record<string, UserInfo>;
  } = {},
  internal: InternalOptions = {},
): Promise<TestServer> {
  const t = await startTestApiServer({
    name: 'test',
    openshift: opts.openshift,
    rbac: !!opts.rbac,
    routeDomain: 'apps.test.kube-sim.local',
    tokens: {
      [ADMIN_TOKEN]: { username: 'admin', groups: ['system:masters'] },
      ...(opts.tokens ?? {}),
    },
    internal,
  });
  const { api: server, ca } = t;
  const request: TestServer['request'] = async (
    method,
    path,
    body,
    headers = {},
  ) => {
    return new Promise((resolve, reject) => {
      let data: string | undefined;
      if (typeof body === 'string') data = body;
      else if (body !== undefined) data = JSON.stringify(body);
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
  return {
    server,
    ca,
    address: t.plan,
    kubeletClient: t.kubeletClient,
    kubeConfig: (token = ADMIN_TOKEN) => t.kubeConfig(token),
    request,
    stop: t.stop,
  };
}
