/** The paths that are not resources: version, health, OpenAPI and the discovery documents. */
import type { ServerResponse } from 'node:http';
import {
  apiGroup,
  apiGroupList,
  apiVersions,
  resourceList,
  SERVER_VERSION,
} from './discovery';
import { failure, resourceNotFound } from './errors';
import { writeJson } from './http';
import { OPENAPI_V2_JSON, OPENAPI_V2_PROTOBUF, PROTOBUF_MIME } from './openapi';
import type { Registry } from './registry';
import type { RequestInfo } from './router';

export function serveNonResource(
  registry: Registry,
  info: RequestInfo,
  accept: string | undefined,
  serverAddress: string,
  res: ServerResponse,
): void {
  const p = info.path;
  if (info.verb !== 'get' && info.verb !== 'head')
    throw failure(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  if (p === '/version') return writeJson(res, 200, SERVER_VERSION);
  if (['/healthz', '/livez', '/readyz'].includes(p)) return writeHealthy(res);
  if (p === '/openapi/v2') {
    if ((accept ?? '').includes('protobuf')) return writeOpenApiProtobuf(res);
    return writeJson(res, 200, OPENAPI_V2_JSON);
  }
  if (p === '/api') return writeJson(res, 200, apiVersions(serverAddress));
  if (p === '/apis') return writeJson(res, 200, apiGroupList(registry));
  const disc = info.discovery;
  if (disc && p.startsWith('/api/') && disc.version && !disc.group)
    return writeJson(res, 200, resourceList(registry, '', disc.version));
  if (disc && p.startsWith('/apis/') && disc.group && !disc.version)
    return writeJson(res, 200, apiGroup(registry, disc.group));
  if (disc && p.startsWith('/apis/') && disc.group && disc.version)
    return writeJson(
      res,
      200,
      resourceList(registry, disc.group, disc.version),
    );
  throw resourceNotFound();
}

function writeHealthy(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('ok');
}

function writeOpenApiProtobuf(res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': PROTOBUF_MIME,
    'Content-Length': OPENAPI_V2_PROTOBUF.length,
  });
  res.end(OPENAPI_V2_PROTOBUF);
}
