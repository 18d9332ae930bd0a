/** Routes a resource request to its handler by verb and subresource. */
import type { ServerResponse } from 'node:http';
import { badRequest, methodNotAllowed, resourceNotFound } from '../errors';
import type { KindDescriptor, KObject } from '../registry/types';
import { TABLE_CONTENT_TYPE, toTable, wantsTable } from '../table';
import { REVIEW_KINDS } from '../registry/authorization';
import { type ApiContext, type RestRequest, type RestResult } from './context';
import { handleCreate } from './create';
import { handleDelete, handleDeleteCollection } from './delete';
import { handlePatch } from './patch';
import { getObject, listObjects } from './read';
import {
  handleBinding,
  handleEviction,
  handleScale,
  handleTokenRequest,
} from './subresources';
import { handleUpdate } from './update';
import { serveWatch, type WatchRegistry, type WatchSettings } from './watch';
import { present } from './versions';

export interface DispatchExtras {
  watches: WatchRegistry;
  watchSettings: WatchSettings;
  review(req: RestRequest): RestResult;
  log(req: RestRequest, d: KindDescriptor, res: ServerResponse): Promise<void>;
  issueToken(
    namespace: string,
    name: string,
    uid: string,
    seconds: number,
  ): { token: string; expires: Date };
}

/** Reads answered as a meta.k8s.io Table when the client asks for one (kubectl get). */
function asTable(
  d: KindDescriptor,
  req: RestRequest,
  result: RestResult,
  isList: boolean,
): RestResult {
  const version = wantsTable(req.accept);
  if (!version) return result;
  const body = result.body as KObject;
  const items: KObject[] = (isList ? body.items : [body]).map(
    (o: KObject) => present(d, o) as KObject,
  );
  const meta = isList
    ? body.metadata
    : { resourceVersion: body.metadata?.resourceVersion };
  return {
    code: result.code,
    body: toTable(
      d,
      items,
      meta,
      req.query.get('includeObject'),
      version,
      d.printerColumns,
    ),
    contentType: TABLE_CONTENT_TYPE,
  };
}

/** Returns a result to write, or undefined when the handler wrote the response itself (watch, log). */
export async function dispatch(
  api: ApiContext,
  req: RestRequest,
  res: ServerResponse,
  extras: DispatchExtras,
): Promise<RestResult | undefined> {
  const d = api.registry.lookup(
    req.info.group,
    req.info.version,
    req.info.resource ?? '',
  );
  const result = await route(api, req, res, extras);
  return result && d ? { ...result, body: present(d, result.body) } : result;
}

async function route(
  api: ApiContext,
  req: RestRequest,
  res: ServerResponse,
  extras: DispatchExtras,
): Promise<RestResult | undefined> {
  const { info } = req;
  const d = api.registry.lookup(info.group, info.version, info.resource ?? '');
  if (!d) throw resourceNotFound();
  if (!d.namespaced && info.namespace) throw resourceNotFound();
  const named =
    ['get', 'update', 'patch', 'delete'].includes(info.verb) ||
    (info.verb === 'create' && !!info.subresource);
  if (d.namespaced && !info.namespace && (named || info.verb === 'create'))
    throw resourceNotFound();
  if (info.verb === 'create' && info.name && !info.subresource)
    throw methodNotAllowed();

  if (REVIEW_KINDS.has(d.kind)) {
    if (info.verb !== 'create') throw methodNotAllowed();
    return extras.review(req);
  }

  if (d.kind === 'Binding' && !d.group) {
    if (info.verb !== 'create' || info.name) throw methodNotAllowed();
    const pods = api.registry.lookup('', 'v1', 'pods')!;
    return handleBinding(api, pods, req);
  }

  const sub = info.subresource;
  if (!sub) {
    switch (info.verb) {
      case 'get':
        return asTable(
          d,
          req,
          { code: 200, body: getObject(api, d, info.namespace, info.name!) },
          false,
        );
      case 'list':
        return asTable(
          d,
          req,
          listObjects(api, d, info.namespace, req.query),
          true,
        );
      case 'watch': {
        const version = wantsTable(req.accept);
        const include = req.query.get('includeObject');
        const transform = (o: KObject) =>
          version
            ? toTable(
                d,
                [present(d, o) as KObject],
                { resourceVersion: o.metadata?.resourceVersion },
                include,
                version,
                d.printerColumns,
              )
            : present(d, o);
        serveWatch(
          api,
          d,
          info.namespace,
          info.name,
          req.query,
          res,
          extras.watches,
          extras.watchSettings,
          transform,
        );
        return undefined;
      }
      case 'create':
        return handleCreate(api, d, req);
      case 'update':
        return handleUpdate(api, d, req, 'main');
      case 'patch':
        return handlePatch(api, d, req, 'main');
      case 'delete':
        return handleDelete(api, d, req);
      case 'deletecollection':
        return handleDeleteCollection(api, d, req);
      default:
        throw methodNotAllowed();
    }
  }
  if (sub === 'status' && d.statusSubresource) {
    if (info.verb === 'get')
      return { code: 200, body: getObject(api, d, info.namespace, info.name!) };
    if (info.verb === 'update') return handleUpdate(api, d, req, 'status');
    if (info.verb === 'patch') return handlePatch(api, d, req, 'status');
    throw methodNotAllowed();
  }
  if (sub === 'scale' && d.scale) return handleScale(api, d, req);
  if (sub === 'finalize' && d.kind === 'Namespace') {
    if (info.verb !== 'update') throw methodNotAllowed();
    return handleUpdate(api, d, req, 'finalize');
  }
  if (sub === 'binding' && d.kind === 'Pod' && !d.group) {
    if (info.verb !== 'create') throw methodNotAllowed();
    return handleBinding(api, d, req);
  }
  if (sub === 'eviction' && d.kind === 'Pod' && !d.group) {
    if (info.verb !== 'create') throw methodNotAllowed();
    return handleEviction(api, d, req);
  }
  if (sub === 'token' && d.kind === 'ServiceAccount' && !d.group) {
    if (info.verb !== 'create') throw methodNotAllowed();
    return handleTokenRequest(api, d, req, extras.issueToken);
  }
  if (sub === 'log' && d.kind === 'Pod' && !d.group) {
    if (info.verb !== 'get') throw methodNotAllowed();
    await extras.log(req, d, res);
    return undefined;
  }
  if (info.verb === 'create' && !info.name)
    throw badRequest('a subresource needs a name');
  throw resourceNotFound();
}
