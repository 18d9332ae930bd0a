/**
 * pods/log: resolves the container as the real server does and proxies to the kubelet of the pod's node over
 * HTTPS (`/containerLogs/{ns}/{pod}/{container}`), verifying the kubelet against the cluster CA and
 * presenting the API server's kubelet client certificate. The body streams through, so follow=true works.
 */
import https from 'node:https';
import type { ServerResponse } from 'node:http';
import type { KeyPair } from '../pki';
import { badRequest, failure, notFound } from './errors';
import type { KindDescriptor, KObject } from './registry/types';
import type { ApiContext, RestRequest } from './rest/context';
import { getObject } from './rest/read';

const goList = (names: string[]) => `[${names.join(' ')}]`;

/** The container a log request means (pkg/registry/core/pod/strategy.go LogLocation). */
export function resolveContainer(
  pod: KObject,
  requested: string | null,
): string {
  const containers: string[] = (pod.spec?.containers ?? []).map(
    (c: KObject) => c.name,
  );
  const inits: string[] = (pod.spec?.initContainers ?? []).map(
    (c: KObject) => c.name,
  );
  const name = pod.metadata.name;
  if (requested) {
    if (![...containers, ...inits].includes(requested))
      throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  if (containers.length === 1) return containers[0];
  const annotated =
    pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && containers.includes(annotated)) return annotated;
  let msg = `a container name must be specified for pod ${name}, choose one of: ${goList(containers)}`;
  if (inits.length) msg += ` or one of the init containers: ${goList(inits)}`;
  throw badRequest(msg);
}

function kubeletAddress(
  node: KObject,
): { host: string; port: number } | undefined {
  const addresses: KObject[] = node.status?.addresses ?? [];
  const host =
    addresses.find(a => a.type === 'InternalIP')?.address ??
    addresses.find(a => a.type === 'Hostname')?.address;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  return host && port ? { host, port } : undefined;
}

const FORWARDED = [
  'follow',
  'previous',
  'timestamps',
  'tailLines',
  'sinceSeconds',
  'sinceTime',
  'limitBytes',
];

export async function proxyLog(
  api: ApiContext,
  d: KindDescriptor,
  req: RestRequest,
  res: ServerResponse,
  creds: { ca: string; client: KeyPair },
): Promise<void> {
  const pod = getObject(api, d, req.info.namespace, req.info.name!);
  const container = resolveContainer(pod, req.query.get('container'));
  for (const n of ['tailLines', 'sinceSeconds', 'limitBytes']) {
    const v = req.query.get(n);
    if (
      v !== null &&
      !(Number.isInteger(Number(v)) && Number(v) >= (n === 'tailLines' ? 0 : 1))
    )
      throw failure(
        422,
        'Invalid',
        `PodLogOptions "${pod.metadata.name}" is invalid: ${n}: Invalid value: ${v}: must be greater than or equal to ${n === 'tailLines' ? 0 : 1}`,
      );
  }
  const nodeName = pod.spec?.nodeName;
  if (!nodeName)
    throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  const node = api.store.get('nodes', undefined, nodeName);
  if (!node) throw notFound({ group: '', resource: 'nodes' }, nodeName);
  const addr = kubeletAddress(node);
  if (!addr)
    throw failure(
      500,
      'InternalError',
      `Internal error occurred: node ${nodeName} has no kubelet endpoint`,
    );
  const q = new URLSearchParams();
  for (const k of FORWARDED) {
    const v = req.query.get(k);
    if (v !== null) q.set(k, v);
  }
  const path = `/containerLogs/${encodeURIComponent(pod.metadata.namespace)}/${encodeURIComponent(pod.metadata.name)}/${encodeURIComponent(container)}${q.size ? `?${q}` : ''}`;

  await new Promise<void>((resolve, reject) => {
    const upstream = https.request(
      {
        host: addr.host,
        port: addr.port,
        path,
        method: 'GET',
        ca: creds.ca,
        cert: creds.client.certPem,
        key: creds.client.keyPem,
      },
      up => {
        if ((up.statusCode ?? 500) >= 300) {
          let text = '';
          up.setEncoding('utf8');
          up.on('data', c => (text += c));
          up.on('end', () => {
            const code = up.statusCode ?? 500;
            // as the real server answers: a container waiting to start is the client's BadRequest
            const reason =
              { 400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound' }[code] ??
              'InternalError';
            reject(
              failure(code, reason, text.trim() || `kubelet answered ${code}`),
            );
          });
          return;
        }
        res.writeHead(200, {
          'Content-Type': 'text/plain',
          'Transfer-Encoding': 'chunked',
        });
        res.flushHeaders();
        up.pipe(res);
        up.on('end', resolve);
        up.on('error', () => resolve());
        res.on('close', () => {
          up.destroy();
          resolve();
        });
      },
    );
    upstream.on('error', e => {
      if (res.headersSent) {
        res.end();
        resolve();
      } else
        reject(
          failure(
            500,
            'InternalError',
            `Get "https://${addr.host}:${addr.port}${path}": ${e.message}`,
          ),
        );
    });
    upstream.end();
  });
}
