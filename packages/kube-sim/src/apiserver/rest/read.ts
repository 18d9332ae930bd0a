/** GET of one object and LIST with label/field selectors and limit/continue pagination. */
import { badRequest, notFound, tooLargeResourceVersion } from '../errors';
import {
  apiVersionOf,
  type KindDescriptor,
  type KObject,
} from '../registry/types';
import {
  matchFields,
  matchLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorSyntaxError,
  type FieldRequirement,
} from '../../lib/selectors';
import { type ApiContext, gr, keyOf, type RestResult } from './context';

export function getObject(
  api: ApiContext,
  d: KindDescriptor,
  namespace: string | undefined,
  name: string,
): KObject {
  const obj = api.store.get(
    keyOf(d),
    d.namespaced ? namespace : undefined,
    name,
  );
  if (!obj) throw notFound(gr(d), name);
  return obj;
}

export type ObjectFilter = (o: KObject) => boolean;

/** The fields a kind can be selected by, and how to read them. */
export function fieldGetter(
  d: KindDescriptor,
  obj: KObject,
): (field: string) => string | undefined {
  return field => {
    if (field === 'metadata.name') return obj.metadata?.name;
    if (field === 'metadata.namespace') return obj.metadata?.namespace ?? '';
    return d.fieldSelectors?.[field]?.(obj);
  };
}

function checkFields(d: KindDescriptor, reqs: FieldRequirement[]): void {
  const known = [
    'metadata.name',
    'metadata.namespace',
    ...Object.keys(d.fieldSelectors ?? {}),
  ];
  for (const r of reqs) {
    if (known.includes(r.field)) continue;
    if (d.crd)
      throw badRequest(
        `"${r.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
      );
    throw badRequest(`field label not supported: ${r.field}`);
  }
}

function asBadRequest<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw badRequest(e.message);
    throw e;
  }
}

export function selectorFilter(
  d: KindDescriptor,
  q: URLSearchParams,
): ObjectFilter {
  const labels = asBadRequest(() => parseLabelSelector(q.get('labelSelector')));
  const fields = asBadRequest(() => parseFieldSelector(q.get('fieldSelector')));
  checkFields(d, fields);
  return o =>
    matchLabels(labels, o.metadata?.labels) &&
    matchFields(fields, fieldGetter(d, o));
}

/** Items of typed lists carry no apiVersion/kind on the real server; custom resources keep theirs. */
export function listItem(d: KindDescriptor, o: KObject): KObject {
  if (d.crd) return o;
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

interface ContinueToken {
  rv: number;
  start: string;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof t.rv === 'number' && typeof t.start === 'string') return t;
  } catch {
    // fall through
  }
  throw badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

export function listObjects(
  api: ApiContext,
  d: KindDescriptor,
  namespace: string | undefined,
  q: URLSearchParams,
): RestResult {
  const filter = selectorFilter(d, q);
  const limit = Number(q.get('limit') ?? 0);
  const cont = q.get('continue');
  const token = cont ? decodeContinue(cont) : undefined;
  const rv = token?.rv ?? api.store.resourceVersion;
  const asked = Number(q.get('resourceVersion') || 0);
  if (asked > api.store.resourceVersion)
    throw tooLargeResourceVersion(asked, api.store.resourceVersion);
  const all = api.store.list(
    keyOf(d),
    d.namespaced ? namespace : undefined,
    filter,
  );
  const keyOfObj = (o: KObject) =>
    `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const remaining = token ? all.filter(o => keyOfObj(o) > token.start) : all;
  const page = limit > 0 ? remaining.slice(0, limit) : remaining;
  const metadata: KObject = { resourceVersion: String(rv) };
  if (limit > 0 && remaining.length > limit) {
    const next: ContinueToken = { rv, start: keyOfObj(page[page.length - 1]) };
    metadata.continue = Buffer.from(JSON.stringify(next)).toString('base64url');
    metadata.remainingItemCount = remaining.length - limit;
  }
  return {
    code: 200,
    body: {
      kind: `${d.kind}List`,
      apiVersion: apiVersionOf(d),
      metadata,
      items: page.map(o => listItem(d, o)),
    },
  };
}
