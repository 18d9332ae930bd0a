import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { apiVersionOf, resourcePath, type ResourceRef } from './resources';
import type { KubeObject, ListResult } from './types';

/** A failed API call, carrying the `Status` object the API server answered with. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    readonly status: unknown,
  ) {
    super(
      `${code} ${reason}: ${(status as { message?: string } | undefined)?.message ?? ''}`,
    );
  }
}

export const isNotFound = (e: unknown) =>
  e instanceof ApiError && e.code === 404;
export { isConflict } from '../../client/errors';
export const isAlreadyExists = (e: unknown) =>
  e instanceof ApiError && e.code === 409 && e.reason === 'AlreadyExists';

export type PatchType = 'merge' | 'strategic' | 'json';
const PATCH_CONTENT: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

type Query = Record<string, string | number | boolean | undefined>;

/**
 * A small JSON client of the Kubernetes REST API. The KubeConfig (client-node) supplies server, CA, client
 * certificate and bearer token exactly as for its own clients; one keep-alive agent serves every call so the
 * controllers do not pay a TLS handshake per request. Objects stay plain JSON: client-node's typed clients
 * would drop fields their models do not know (custom resources) and turn timestamps into Dates.
 */
export class RestClient {
  private agent?: http.Agent;
  private readonly server: URL;

  constructor(private readonly kc: KubeConfig) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.server = new URL(cluster.server);
  }

  close(): void {
    this.agent?.destroy();
  }

  async request<T>(
    method: string,
    path: string,
    opts: { query?: Query; body?: unknown; contentType?: string } = {},
  ): Promise<T> {
    const url = new URL(this.server.toString().replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const reqOpts: https.RequestOptions = {};
    // Called per request: exec/token-file credentials may rotate.
    await this.kc.applyToHTTPSOptions(reqOpts);
    const secure = url.protocol === 'https:';
    if (!this.agent) {
      const agentOpts = {
        keepAlive: true,
        maxSockets: 16,
        ca: reqOpts.ca,
        cert: reqOpts.cert,
        key: reqOpts.key,
        rejectUnauthorized: reqOpts.rejectUnauthorized,
        servername: reqOpts.servername,
      };
      this.agent = secure
        ? new https.Agent(agentOpts)
        : new http.Agent({ keepAlive: true, maxSockets: 16 });
    }
    const payload =
      opts.body === undefined
        ? undefined
        : Buffer.from(JSON.stringify(opts.body));
    const headers: http.OutgoingHttpHeaders = {};
    if (reqOpts.headers && !Array.isArray(reqOpts.headers))
      Object.assign(headers, reqOpts.headers);
    headers.Accept = 'application/json';
    if (reqOpts.auth)
      headers.Authorization = `Basic ${Buffer.from(reqOpts.auth).toString('base64')}`;
    if (payload) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = payload.length;
    }
    const mod = secure ? https : http;
    return new Promise<T>((resolve, reject) => {
      const req = mod.request(
        url,
        { method, headers, agent: this.agent, timeout: 60_000 },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = undefined;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = { message: text };
            }
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) resolve(parsed as T);
            else
              reject(
                new ApiError(
                  code,
                  (parsed as { reason?: string } | undefined)?.reason ??
                    res.statusMessage ??
                    '',
                  parsed,
                ),
              );
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`request timed out: ${method} ${path}`)),
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  list<T>(
    r: ResourceRef,
    namespace?: string,
    query: Query = {},
  ): Promise<ListResult<T>> {
    return this.request('GET', resourcePath(r, namespace), { query });
  }

  get<T>(
    r: ResourceRef,
    namespace: string | undefined,
    name: string,
  ): Promise<T> {
    return this.request('GET', resourcePath(r, namespace, name));
  }

  create<T extends KubeObject>(
    r: ResourceRef,
    namespace: string | undefined,
    obj: T,
  ): Promise<T> {
    const body = { apiVersion: apiVersionOf(r), kind: r.kind, ...obj };
    return this.request('POST', resourcePath(r, namespace), { body });
  }

  /** PUT of the whole object: the API server rejects it with 409 when metadata.resourceVersion is stale. */
  update<T extends KubeObject>(
    r: ResourceRef,
    obj: T,
    subresource?: string,
  ): Promise<T> {
    const body = { apiVersion: apiVersionOf(r), kind: r.kind, ...obj };
    return this.request(
      'PUT',
      resourcePath(r, obj.metadata?.namespace, obj.metadata?.name, subresource),
      { body },
    );
  }

  updateStatus<T extends KubeObject>(r: ResourceRef, obj: T): Promise<T> {
    return this.update(r, obj, 'status');
  }

  patch<T>(
    r: ResourceRef,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    type: PatchType = 'merge',
    subresource?: string,
  ): Promise<T> {
    return this.request(
      'PATCH',
      resourcePath(r, namespace, name, subresource),
      { body: patch, contentType: PATCH_CONTENT[type] },
    );
  }

  delete(
    r: ResourceRef,
    namespace: string | undefined,
    name: string,
    options: {
      uid?: string;
      resourceVersion?: string;
      propagationPolicy?: string;
      gracePeriodSeconds?: number;
    } = {},
  ): Promise<unknown> {
    const preconditions =
      options.uid || options.resourceVersion
        ? { uid: options.uid, resourceVersion: options.resourceVersion }
        : undefined;
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      preconditions,
      propagationPolicy: options.propagationPolicy,
      gracePeriodSeconds: options.gracePeriodSeconds,
    };
    return this.request('DELETE', resourcePath(r, namespace, name), { body });
  }
}
