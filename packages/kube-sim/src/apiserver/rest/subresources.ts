/** The scale, binding, eviction and token subresources. */
import {
  badRequest,
  conflict,
  invalid,
  invalidObject,
  failure,
  successStatus,
} from '../errors';
import type { KindDescriptor, KObject } from '../registry/types';
import { applyPatchBody } from '../patch';
import { labelSelectorToString } from '../../lib/selectors';
import { getPath, isPlainObject, setPath } from '../util';
import {
  type ApiContext,
  isDryRun,
  keyOf,
  nowTimestamp,
  type RestRequest,
  type RestResult,
} from './context';
import { parseJson } from './body';
import { deleteObject, type DeleteOptions } from './delete';
import { getObject } from './read';
import { updateObject } from './update';

function selectorString(sel: unknown): string {
  if (!isPlainObject(sel)) return '';
  if ('matchLabels' in sel || 'matchExpressions' in sel)
    return labelSelectorToString(sel);
  // DeploymentConfig's selector is a plain label map.
  return labelSelectorToString({ matchLabels: sel as Record<string, string> });
}

export function scaleOf(d: KindDescriptor, obj: KObject): KObject {
  const s = d.scale!;
  const md = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: md.name,
      namespace: md.namespace,
      uid: md.uid,
      resourceVersion: md.resourceVersion,
      creationTimestamp: md.creationTimestamp,
    },
    spec: { replicas: getPath(obj, s.specReplicasPath) ?? 0 },
    status: {
      replicas: getPath(obj, s.statusReplicasPath) ?? 0,
      selector: s.labelSelectorPath
        ? selectorString(getPath(obj, s.labelSelectorPath))
        : undefined,
    },
  };
}

export function handleScale(
  api: ApiContext,
  d: KindDescriptor,
  req: RestRequest,
): RestResult {
  const name = req.info.name!;
  const old = getObject(api, d, req.info.namespace, name);
  if (req.info.verb === 'get') return { code: 200, body: scaleOf(d, old) };
  let scale: KObject;
  if (req.info.verb === 'update') {
    const body = parseJson(req.body);
    if (!isPlainObject(body))
      throw badRequest('the body of the request was not a JSON object');
    if (body.kind !== undefined && body.kind !== 'Scale')
      throw badRequest(
        `the kind in the data (${body.kind}) does not match the expected kind (Scale)`,
      );
    scale = body;
    if (scale.metadata?.name !== name)
      throw badRequest(
        `the name of the object (${scale.metadata?.name ?? ''}) does not match the name on the URL (${name})`,
      );
  } else if (req.info.verb === 'patch') {
    scale = applyPatchBody(req.contentType, scaleOf(d, old), req.body, d, {
      mergeKeys: {},
      mergePrimitiveLists: [],
    }) as KObject;
  } else
    throw failure(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  const replicas = scale.spec?.replicas;
  if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0))
    throw invalidObject('Scale', 'autoscaling', name, [
      invalid('spec.replicas', replicas, 'must be greater than or equal to 0'),
    ]);
  const next = structuredClone(old);
  setPath(next, d.scale!.specReplicasPath, replicas ?? 0);
  next.metadata.resourceVersion =
    scale.metadata?.resourceVersion || old.metadata.resourceVersion;
  const updated = updateObject(api, d, 'main', next, old, {
    dryRun: isDryRun(req.query),
    user: req.user,
  });
  return { code: 200, body: scaleOf(d, updated) };
}

const created = successStatus();

/** pods/binding: what the scheduler posts (pkg/registry/core/pod/storage BindingREST). */
export function handleBinding(
  api: ApiContext,
  d: KindDescriptor,
  req: RestRequest,
): RestResult {
  const body = parseJson(req.body);
  if (!isPlainObject(body))
    throw badRequest('the body of the request was not a JSON object');
  // POST .../bindings names the pod in the body; POST .../pods/{name}/binding in the URL.
  const name = req.info.name ?? body.metadata?.name ?? '';
  if ((body.metadata?.name ?? '') !== name)
    throw badRequest(
      `the name of the object (${body.metadata?.name ?? ''}) does not match the name on the URL (${name})`,
    );
  const target = body.target;
  if (!target?.name)
    throw invalidObject('Binding', '', name, [
      { type: 'FieldValueRequired', field: 'target.name' },
    ]);
  if (target.kind && target.kind !== 'Node')
    throw invalidObject('Binding', '', name, [
      {
        type: 'FieldValueNotSupported',
        field: 'target.kind',
        value: target.kind,
        supported: ['Node', '<empty>'],
      },
    ]);
  const old = getObject(api, d, req.info.namespace, name);
  const bindingGr = { group: '', resource: 'pods/binding' };
  if (old.metadata.deletionTimestamp)
    throw conflict(
      bindingGr,
      name,
      `pod ${name} is being deleted, cannot be assigned to a host`,
    );
  if (old.spec?.nodeName)
    throw conflict(
      bindingGr,
      name,
      `pod ${name} is already assigned to node "${old.spec.nodeName}"`,
    );
  if (body.metadata?.uid && body.metadata.uid !== old.metadata.uid)
    throw conflict(
      bindingGr,
      name,
      `Precondition failed: UID in precondition: ${body.metadata.uid}, UID in object meta: ${old.metadata.uid}`,
    );
  const next = structuredClone(old);
  next.spec.nodeName = target.name;
  const conditions: KObject[] = (next.status.conditions ?? []).filter(
    (c: KObject) => c.type !== 'PodScheduled',
  );
  conditions.push({
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: nowTimestamp(),
  });
  next.status.conditions = conditions;
  if (!isDryRun(req.query)) api.store.update(keyOf(d), next, old);
  return { code: 201, body: created };
}

/** pods/eviction without disruption budgets: a delete with the eviction's options. */
export function handleEviction(
  api: ApiContext,
  d: KindDescriptor,
  req: RestRequest,
): RestResult {
  const body = parseJson(req.body);
  if (!isPlainObject(body))
    throw badRequest('the body of the request was not a JSON object');
  const name = req.info.name!;
  if ((body.metadata?.name ?? '') !== name)
    throw badRequest(`name in URL does not match name in Eviction object`);
  const old = getObject(api, d, req.info.namespace, name);
  const opts: DeleteOptions = {
    ...(body.deleteOptions ?? {}),
    dryRun: isDryRun(req.query, body.deleteOptions),
  };
  deleteObject(api, d, old, opts);
  return { code: 201, body: created };
}

/** serviceaccounts/token: a bound token the authenticator accepts while the service account exists. */
export function handleTokenRequest(
  api: ApiContext,
  d: KindDescriptor,
  req: RestRequest,
  issue: (
    ns: string,
    name: string,
    uid: string,
    seconds: number,
  ) => { token: string; expires: Date },
): RestResult {
  const body = parseJson(req.body);
  if (!isPlainObject(body))
    throw badRequest('the body of the request was not a JSON object');
  const sa = getObject(api, d, req.info.namespace, req.info.name!);
  const seconds = body.spec?.expirationSeconds ?? 3600;
  if (!Number.isInteger(seconds) || seconds < 600)
    throw invalidObject(
      'TokenRequest',
      'authentication.k8s.io',
      sa.metadata.name,
      [
        invalid(
          'spec.expirationSeconds',
          seconds,
          'may not specify a duration less than 10 minutes',
        ),
      ],
    );
  const { token, expires } = issue(
    sa.metadata.namespace,
    sa.metadata.name,
    sa.metadata.uid,
    seconds,
  );
  return {
    code: 201,
    body: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: {
        name: sa.metadata.name,
        namespace: sa.metadata.namespace,
        creationTimestamp: nowTimestamp(),
      },
      spec: {
        audiences: body.spec?.audiences ?? ['https://kubernetes.default.svc'],
        expirationSeconds: seconds,
        boundObjectRef: body.spec?.boundObjectRef ?? null,
      },
      status: {
        token,
        expirationTimestamp: expires.toISOString().replace(/\.\d+Z$/, 'Z'),
      },
    },
  };
}
