/** pods/log over a real mutual-TLS hop to a kubelet-like HTTPS endpoint. */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { CoreV1Api } from '@kubernetes/client-node';
import { resolveContainer } from './logproxy';
import { startTestServer, type TestServer } from './testutil';

describe('resolveContainer', () => {
  const pod = (
    containers: string[],
    inits: string[] = [],
    annotation?: string,
  ) => ({
    metadata: {
      name: 'p',
      annotations: annotation
        ? { 'kubectl.kubernetes.io/default-container': annotation }
        : undefined,
    },
    spec: {
      containers: containers.map(name => ({ name })),
      initContainers: inits.map(name => ({ name })),
    },
  });
  it('picks the only container, the annotated default, or asks', () => {
    expect(resolveContainer(pod(['a']), null)).toBe('a');
    expect(resolveContainer(pod(['a', 'b'], [], 'b'), null)).toBe('b');
    expect(() => resolveContainer(pod(['a', 'b'], ['i']), null)).toThrow(
      'a container name must be specified for pod p, choose one of: [a b] or one of the init containers: [i]',
    );
    expect(() => resolveContainer(pod(['a']), 'zz')).toThrow(
      'container zz is not valid for pod p',
    );
    expect(resolveContainer(pod(['a'], ['i']), 'i')).toBe('i');
  });
});

describe('pods/log proxy', () => {
  let t: TestServer;
  let kubelet: https.Server;
  const seen: { path: string; clientCN?: string }[] = [];

  beforeAll(async () => {
    t = await startTestServer();
    const serving = await t.ca.issue({
      commonName: 'kubelet',
      ips: [t.address.nodeIP],
      usage: 'server',
    });
    kubelet = https.createServer(
      {
        cert: serving.certPem,
        key: serving.keyPem,
        ca: t.ca.certPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const cert = (req.socket as TLSSocket).getPeerCertificate();
        seen.push({
          path: req.url ?? '',
          clientCN: cert?.subject?.CN as string | undefined,
        });
        const url = new URL(req.url ?? '/', 'https://kubelet');
        if (!url.pathname.startsWith('/containerLogs/')) {
          res.writeHead(404).end('not found');
          return;
        }
        if (url.pathname === '/containerLogs/default/waiting/app') {
          res
            .writeHead(400, { 'Content-Type': 'text/plain' })
            .end(
              'container "app" in pod "waiting" is waiting to start: ContainerCreating\n',
            );
          return;
        }
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        if (url.searchParams.get('follow') === 'true') {
          res.write('line 1\n');
          setTimeout(() => res.end('line 2\n'), 200);
        } else res.end(`logs of ${url.pathname}\n`);
      },
    );
    await new Promise<void>(r =>
      kubelet.listen(0, t.address.nodeIP, () => r()),
    );
    const port = (kubelet.address() as AddressInfo).port;
    const core = t.kubeConfig().makeApiClient(CoreV1Api);
    await core.createNode({ body: { metadata: { name: 'node-1' } } });
    await core.patchNodeStatus({
      name: 'node-1',
      body: [
        {
          op: 'add',
          path: '/status',
          value: {
            addresses: [{ type: 'InternalIP', address: t.address.nodeIP }],
            daemonEndpoints: { kubeletEndpoint: { Port: port } },
          },
        },
      ],
    });
    await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'x' }] },
      },
    });
    await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'waiting' },
        spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'x' }] },
      },
    });
    await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'pending' },
        spec: { containers: [{ name: 'app', image: 'x' }] },
      },
    });
  });
  afterAll(async () => {
    kubelet.close();
    await t.stop();
  });

  it('proxies to the kubelet with the client certificate and the query', async () => {
    const core = t.kubeConfig().makeApiClient(CoreV1Api);
    const text = await core.readNamespacedPodLog({
      name: 'web',
      namespace: 'default',
      tailLines: 5,
      timestamps: true,
    });
    expect(text).toBe('logs of /containerLogs/default/web/app\n');
    expect(seen[seen.length - 1]).toEqual({
      path: '/containerLogs/default/web/app?timestamps=true&tailLines=5',
      clientCN: 'kube-apiserver-kubelet-client',
    });
  });

  it('streams with follow=true', async () => {
    const res = await t.request(
      'GET',
      '/api/v1/namespaces/default/pods/web/log?follow=true',
    );
    expect(res.status).toBe(200);
    expect(res.text).toBe('line 1\nline 2\n');
  });

  it('answers 400 for an unscheduled pod and 404 for a missing one', async () => {
    const pending = await t.request(
      'GET',
      '/api/v1/namespaces/default/pods/pending/log',
    );
    expect(pending.status).toBe(400);
    expect(pending.body.message).toBe(
      'pod pending does not have a host assigned',
    );
    expect(
      (await t.request('GET', '/api/v1/namespaces/default/pods/nope/log'))
        .status,
    ).toBe(404);
  });

  it("passes on the kubelet's 400 for a container still waiting to start as BadRequest", async () => {
    const waiting = await t.request(
      'GET',
      '/api/v1/namespaces/default/pods/waiting/log',
    );
    expect(waiting.status).toBe(400);
    expect(waiting.body).toMatchObject({
      reason: 'BadRequest',
      message:
        'container "app" in pod "waiting" is waiting to start: ContainerCreating',
    });
  });
});
