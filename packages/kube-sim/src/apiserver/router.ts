/**
 * Path parsing into the request attributes the real server derives (k8s.io/apiserver/pkg/endpoints/request
 * RequestInfoFactory): API group and version, namespace, resource, name, subresource and the verb RBAC sees.
 */

export interface RequestInfo {
  path: string;
  isResourceRequest: boolean;
  /** get, list, watch, create, update, patch, delete, deletecollection; for non-resource: the lower-case method */
  verb: string;
  group: string;
  version: string;
  namespace?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  /** path segments after /api or /apis when the request is not a resource request: discovery */
  discovery?: { group?: string; version?: string };
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRequest(
  method: string,
  path: string,
  query: URLSearchParams,
): RequestInfo {
  const clean = path.replace(/\/+$/, '') || '/';
  const parts = clean.split('/').filter(Boolean).map(decodeURIComponent);
  const nonResource = (discovery?: RequestInfo['discovery']): RequestInfo => ({
    path: clean,
    isResourceRequest: false,
    verb: method.toLowerCase(),
    group: '',
    version: '',
    discovery,
  });
  if (parts[0] !== 'api' && parts[0] !== 'apis') return nonResource();
  let rest: string[];
  let group = '';
  let version: string;
  if (parts[0] === 'api') {
    if (parts.length < 3) return nonResource({ group: '', version: parts[1] });
    version = parts[1];
    rest = parts.slice(2);
  } else {
    if (parts.length < 4)
      return nonResource({ group: parts[1], version: parts[2] });
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  }
  let verb = '';
  // The deprecated /watch/ prefix: /api/v1/watch/namespaces/x/pods
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]))
      rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  if (resource === 'namespaces') namespace = undefined;
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD') {
    const watch =
      legacyWatch || ['1', 'true'].includes(query.get('watch') ?? '');
    if (watch) verb = 'watch';
    else verb = name ? 'get' : 'list';
  } else if (m === 'POST') verb = 'create';
  else if (m === 'PUT') verb = 'update';
  else if (m === 'PATCH') verb = 'patch';
  else if (m === 'DELETE') verb = name ? 'delete' : 'deletecollection';
  else verb = m.toLowerCase();
  return {
    path: clean,
    isResourceRequest: true,
    verb,
    group,
    version,
    namespace,
    resource,
    name,
    subresource: rest.length > 3 ? rest.slice(2).join('/') : subresource,
  };
}
