/**
 * HTTPS wiring of one API server: authentication, fault injection, authorization, then discovery or the
 * REST handlers; every failure leaves as a Status object with its HTTP code.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { ApiServer, ApiServerOptions } from '../contracts';
import { Admission } from './admission';
import { namespaceLifecycle } from './admission/namespace';
import { openshiftNamespaces } from './admission/openshift';
import { serviceAccounts } from './admission/serviceaccounts';
import { serviceAllocation } from './admission/services';
import { storageObjectInUseProtection } from './admission/storageprotection';
import { defaultStorageClass } from './admission/defaultstorageclass';
import { defaultIngressClass } from './admission/defaultingressclass';
import { podSecurity } from './admission/podsecurity';
import { serviceAccountTokenSecrets } from './admission/satokensecrets';
import { limitRanger } from './admission/limitranger';
import { resourceQuota } from './admission/resourcequota';
import { Authenticator } from './auth/authn';
import { describeActor, impersonate } from './auth/impersonation';
import { rbacEscalation } from './auth/escalation';
import { type Attributes, forbiddenReason, RbacAuthorizer } from './auth/rbac';
import { review, rulesReview, selfSubjectReview } from './auth/review';
import { crdLifecycle } from './crd';
import { ApiError, failure, forbidden, toStatus, unauthorized } from './errors';
import { Faults } from './faults';
import { Outages, type OutageTarget } from './outage';
import { readBody, writeJson } from './http';
import { serveNonResource } from './nonresource';
import { seedCluster, seedKubernetesService } from './bootstrap';
import { proxyLog } from './logproxy';
import { Registry } from './registry';
import type { KObject } from './registry/types';
import { parseJson } from './rest/body';
import type { ApiContext, RestRequest, RestResult } from './rest/context';
import { createObject } from './rest/create';
import { dispatch, type DispatchExtras } from './rest/dispatch';
import type { OpenWatch } from './rest/watch';
import { parseRequest, type RequestInfo } from './router';
import { Store } from './store';
import { RequestTracer, tracedRequest } from './trace';
import { WatchHub } from './watch';

/** Internal knobs for tests; the contract's options are what the cluster composition passes. */
export interface InternalOptions {
  watchHistory?: number;
  bookmarkIntervalMs?: number;
  /**
   * Refuse loopback addresses in EndpointSlices as a real API server does (since 1.21.1). Off by
   * default: every kube-sim pod has a 127.0.0.0/8 address, so its own slices could not be written.
   * An API server standing in for a real one in a test turns it on.
   */
  refuseLoopbackEndpointSlices?: boolean;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export async function startApiServer(
  opts: ApiServerOptions,
  internal: InternalOptions = {},
): Promise<ApiServer> {
  const store = new Store(new WatchHub(internal.watchHistory ?? 1000));
  const registry = new Registry(opts.openshift);
  const admission = new Admission();
  const api: ApiContext = {
    registry,
    store,
    kindContext: {
      openshift: opts.openshift,
      routeDomain: opts.routeDomain,
      endpointSliceRules: {
        allowLoopback: !internal.refuseLoopbackEndpointSlices,
      },
    },
    admission,
  };
  const authn = new Authenticator(store, opts.tokens);
  const rbac = new RbacAuthorizer(store);
  const watches = new Set<OpenWatch>();
  const closeWatches = () => {
    for (const w of [...watches]) w.close();
  };
  // set once the server listens: an outage needs its listener
  const listener: { target?: OutageTarget } = {};
  const outages = new Outages(() => listener.target);
  const faults = new Faults(closeWatches, undefined, outages);
  const closeWatchesOf = (resource: string) => {
    for (const w of [...watches]) if (w.resource === resource) w.close();
  };

  admission.use(namespaceLifecycle(store));
  admission.use(limitRanger(store));
  admission.use(serviceAllocation(store, opts.address));
  admission.use(storageObjectInUseProtection());
  admission.use(defaultStorageClass(store));
  admission.use(defaultIngressClass(store));
  admission.use(podSecurity(store));
  admission.use(serviceAccountTokenSecrets(store, opts.ca.certPem));
  if (opts.openshift) admission.use(openshiftNamespaces(store));
  admission.use(
    serviceAccounts(store, namespace => {
      const sa = registry.lookup('', 'v1', 'serviceaccounts')!;
      if (!store.get('serviceaccounts', namespace, 'default'))
        createObject(api, sa, {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: 'default', namespace },
        });
    }),
  );
  admission.use(crdLifecycle(api, closeWatchesOf));
  admission.use(rbacEscalation(store, opts.rbac));
  // last, as in the real server: only what every other plugin let through is charged to a quota
  admission.use(resourceQuota(store));

  const authorize = (a: Attributes) =>
    opts.rbac ? rbac.authorize(a) : { allowed: true, reason: '' };

  const extras: DispatchExtras = {
    watches: { add: w => watches.add(w), delete: w => watches.delete(w) },
    watchSettings: { bookmarkIntervalMs: internal.bookmarkIntervalMs ?? 5000 },
    review: (req: RestRequest): RestResult => {
      const body = parseJson(req.body) as KObject;
      const kind = api.registry.lookup(
        req.info.group,
        req.info.version,
        req.info.resource!,
      )!.kind;
      if (body.kind !== undefined && body.kind !== kind)
        throw failure(
          400,
          'BadRequest',
          `the kind in the data (${body.kind}) does not match the expected kind (${kind})`,
        );
      if (kind === 'SelfSubjectReview')
        return { code: 201, body: selfSubjectReview(req.user) };
      if (kind === 'SelfSubjectRulesReview')
        return {
          code: 201,
          body: rulesReview(
            body,
            req.user,
            (u, ns) => rbac.rulesFor(u, ns),
            opts.rbac,
          ),
        };
      return {
        code: 201,
        body: review({ ...body, kind }, req.user, authorize),
      };
    },
    log: (req, d, res) =>
      proxyLog(api, d, req, res, {
        ca: opts.ca.certPem,
        client: opts.kubeletClient,
      }),
    issueToken: (namespace, name, uid, seconds) => {
      const token = randomBytes(32).toString('base64url');
      const expires = new Date(Date.now() + seconds * 1000);
      authn.issueServiceAccountToken(
        token,
        namespace,
        name,
        uid,
        expires.getTime(),
      );
      return { token, expires };
    },
  };

  seedCluster(api);

  function attributesOf(
    info: RequestInfo,
    user: RestRequest['user'],
  ): Attributes {
    const namespaceResource = info.resource === 'namespaces' && !info.group;
    return {
      user,
      verb: info.verb,
      isResourceRequest: info.isResourceRequest,
      path: info.path,
      apiGroup: info.group,
      resource: info.resource ?? '',
      subresource: info.subresource,
      namespace: namespaceResource ? info.name : info.namespace,
      name: info.name,
    };
  }

  const trace = !!process.env.KUBE_SIM_APISERVER_TRACE;
  const tracer = new RequestTracer();
  // known once the server listens, which is before any request can reach handle()
  let port = 0;

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://apiserver');
    const query = url.searchParams;
    const started = Date.now();
    let code = 0;
    let actor = '';
    let traced: Partial<Attributes> = {};
    try {
      const bodyPromise = readBody(req);
      // Requests refused before their body is read must not leave a rejected promise behind.
      bodyPromise.catch(() => undefined);
      const requestor = authn.authenticate(req);
      if (!requestor) throw unauthorized();
      // Impersonate-* headers: from here on the request is the impersonated user's (faults, RBAC,
      // admission, access reviews), once the requestor may impersonate each part of it
      const user = impersonate(
        requestor,
        req.headersDistinct,
        authorize,
        req.url ?? '',
      );
      actor = describeActor(requestor, user);
      const info = parseRequest(req.method ?? 'GET', url.pathname, query);
      traced = attributesOf(info, user);
      const resource = info.subresource
        ? `${info.resource}/${info.subresource}`
        : (info.resource ?? '');
      const fault = faults.evaluate({
        verb: info.verb,
        resource,
        namespace: info.namespace,
        name: info.name,
        user,
      });
      if (fault.latencyMs) await sleep(fault.latencyMs);
      if (fault.error) throw fault.error;
      const attrs = attributesOf(info, user);
      if (!authorize(attrs).allowed) {
        if (!info.isResourceRequest)
          throw failure(
            403,
            'Forbidden',
            `forbidden: ${forbiddenReason(attrs)}`,
            {},
          );
        throw forbidden(
          { group: info.group, resource: info.resource ?? '' },
          info.name,
          forbiddenReason(attrs),
        );
      }
      const body = await bodyPromise;
      if (!info.isResourceRequest) {
        serveNonResource(
          registry,
          info,
          req.headers.accept,
          `${opts.address.nodeIP}:${port}`,
          res,
        );
        code = res.statusCode;
        return;
      }
      const result = await dispatch(
        api,
        {
          info,
          query,
          body,
          contentType: req.headers['content-type'] ?? '',
          accept: req.headers.accept,
          user,
        },
        res,
        extras,
      );
      if (result) {
        code = result.code;
        writeJson(
          res,
          result.code,
          result.body,
          result.contentType ? { 'Content-Type': result.contentType } : {},
        );
      } else code = res.statusCode;
    } catch (e) {
      const status = toStatus(e);
      code = status.code;
      if (!(e instanceof ApiError) && trace) console.error(e);
      if (res.headersSent) {
        res.end();
        return;
      }
      const headers: Record<string, string> = {};
      if (status.details?.retryAfterSeconds)
        headers['Retry-After'] = String(status.details.retryAfterSeconds);
      writeJson(res, status.code, status, headers);
    } finally {
      if (tracer.recording) tracer.record(tracedRequest(traced, url, code));
      if (trace)
        console.error(
          `[apiserver ${opts.clusterName}] ${req.method} ${req.url} ${code} ${Date.now() - started}ms${actor ? ` ${actor}` : ''}`,
        );
    }
  }

  const server = https.createServer(
    {
      cert: opts.serving.certPem,
      key: opts.serving.keyPem,
      ca: opts.ca.certPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => void handle(req, res),
  );
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.address.nodeIP, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  listener.target = listenerOf(server, opts.address.nodeIP, port, closeWatches);

  seedKubernetesService(api, opts.address, port);

  return {
    url: `https://${opts.address.nodeIP}:${port}`,
    addToken: (token, user) => authn.addToken(token, user),
    faults,
    trace: () => tracer.start(),
    async stop() {
      await outages.endNow();
      for (const w of [...watches]) w.close();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The listener as an outage sees it: gone with every connection, then back on the same address. */
function listenerOf(
  server: https.Server,
  host: string,
  port: number,
  closeWatches: () => void,
): OutageTarget {
  return {
    host,
    port,
    stopListening: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        // a restarting process takes its sockets along: streams break, they do not end cleanly
        server.closeAllConnections();
        closeWatches();
      }),
    listenAgain: () => listenOnceFree(server, host, port),
  };
}

/**
 * Listens on the address again, retrying while the port is still held (the outage's refuser may take a
 * moment to let it go): an API server that never listens again is a cluster down for good.
 */
async function listenOnceFree(
  server: https.Server,
  host: string,
  port: number,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 100)
        throw e;
      await new Promise(r => setTimeout(r, 50));
    }
  }
}
