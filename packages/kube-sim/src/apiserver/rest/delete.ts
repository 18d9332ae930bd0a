/**
 * DELETE and deletecollection with DeleteOptions: preconditions, dryRun, graceful deletion (pods),
 * finalizers (the object stays with deletionTimestamp until they are gone) and propagationPolicy.
 */
import { badRequest, conflict, successStatus } from '../errors';
import {
  apiVersionOf,
  type KindDescriptor,
  type KObject,
} from '../registry/types';
import { deepEqual, isPlainObject } from '../util';
import {
  type ApiContext,
  gr,
  isDryRun,
  keyOf,
  nowTimestamp,
  type RestRequest,
  type RestResult,
} from './context';
import { getObject, listItem, selectorFilter } from './read';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export function parseDeleteOptions(req: RestRequest): DeleteOptions {
  let body: KObject = {};
  const text = req.body?.toString('utf8').trim();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw badRequest(
        `the body of the request could not be decoded: ${(e as Error).message}`,
      );
    }
    if (!isPlainObject(body))
      throw badRequest('DeleteOptions must be an object');
  }
  const q = req.query;
  const grace = q.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  const policy = q.get('propagationPolicy') ?? body.propagationPolicy;
  if (
    policy !== undefined &&
    policy !== null &&
    !['Foreground', 'Background', 'Orphan'].includes(policy)
  )
    throw badRequest(
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  const orphan = q.get('orphanDependents') ?? body.orphanDependents;
  return {
    gracePeriodSeconds:
      grace === undefined || grace === null ? undefined : Number(grace),
    propagationPolicy: policy ?? undefined,
    orphanDependents:
      orphan === undefined || orphan === null
        ? undefined
        : String(orphan) === 'true',
    preconditions: body.preconditions ?? undefined,
    dryRun: isDryRun(q, body),
  };
}

/** Removes the object from the store now; used when nothing holds it any more. */
export function removeNow(
  api: ApiContext,
  d: KindDescriptor,
  obj: KObject,
): KObject {
  const removed = api.store.remove(keyOf(d), obj);
  api.admission.afterDelete(d, removed);
  return removed;
}

function checkPreconditions(
  d: KindDescriptor,
  obj: KObject,
  pre: DeleteOptions['preconditions'],
): void {
  if (pre?.uid && pre.uid !== obj.metadata.uid)
    throw conflict(
      gr(d),
      obj.metadata.name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`,
    );
  if (
    pre?.resourceVersion &&
    pre.resourceVersion !== obj.metadata.resourceVersion
  )
    throw conflict(
      gr(d),
      obj.metadata.name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
    );
}

/** The deprecated orphanDependents field as the propagation policy it stands for. */
function legacyPolicy(
  orphanDependents: boolean | undefined,
): DeleteOptions['propagationPolicy'] {
  if (orphanDependents === true) return 'Orphan';
  if (orphanDependents === false) return 'Background';
  return undefined;
}

/**
 * The garbage-collection finalizers after a delete with this policy (deletionFinalizersForGarbageCollection):
 * Foreground and Orphan add theirs and drop the other one, Background drops both, no policy keeps them.
 */
function gcFinalizers(current: string[], opts: DeleteOptions): string[] {
  const policy = opts.propagationPolicy ?? legacyPolicy(opts.orphanDependents);
  if (!policy) return current;
  const rest = current.filter(
    f => f !== 'orphan' && f !== 'foregroundDeletion',
  );
  if (policy === 'Foreground') return [...rest, 'foregroundDeletion'];
  if (policy === 'Orphan') return [...rest, 'orphan'];
  return rest;
}

export interface DeleteOutcome {
  object: KObject;
  /** false when the object stays (graceful deletion or finalizers) */
  deleted: boolean;
}

export function deleteObject(
  api: ApiContext,
  d: KindDescriptor,
  old: KObject,
  opts: DeleteOptions,
): DeleteOutcome {
  checkPreconditions(d, old, opts.preconditions);
  api.admission.admitDelete(d, old);
  const obj = structuredClone(old);
  const md = obj.metadata;
  const decision = d.gracefulDelete?.(obj, opts.gracePeriodSeconds) ?? {
    grace: 0,
  };
  const finalizers = gcFinalizers(md.finalizers ?? [], opts);
  if (finalizers.length) md.finalizers = finalizers;
  else delete md.finalizers;

  if (md.deletionTimestamp) {
    // Already terminating: only a shorter grace period changes anything.
    const current = md.deletionGracePeriodSeconds ?? 0;
    if (decision.grace < current) {
      md.deletionGracePeriodSeconds = decision.grace;
      md.deletionTimestamp = nowTimestamp(decision.grace);
    }
  } else {
    md.deletionTimestamp = nowTimestamp(decision.grace);
    md.deletionGracePeriodSeconds = decision.grace;
    decision.mark?.(obj);
    if (d.generation && (md.generation ?? 0) > 0) md.generation += 1;
  }
  const held =
    finalizers.length > 0 ||
    (md.deletionGracePeriodSeconds ?? 0) > 0 ||
    (d.canFinalize ? !d.canFinalize(obj) : false);
  if (held) {
    if (opts.dryRun) return { object: obj, deleted: false };
    return {
      object: deepEqual(obj, old) ? old : api.store.update(keyOf(d), obj, old),
      deleted: false,
    };
  }
  if (opts.dryRun) return { object: old, deleted: true };
  return { object: removeNow(api, d, old), deleted: true };
}

function deletedResponse(d: KindDescriptor, out: DeleteOutcome): unknown {
  if (!out.deleted || d.returnDeletedObject) return out.object;
  const det: KObject = {
    name: out.object.metadata.name,
    kind: d.plural,
    uid: out.object.metadata.uid,
  };
  if (d.group) det.group = d.group;
  return successStatus(det);
}

export function handleDelete(
  api: ApiContext,
  d: KindDescriptor,
  req: RestRequest,
): RestResult {
  const opts = parseDeleteOptions(req);
  const old = getObject(api, d, req.info.namespace, req.info.name!);
  const out = deleteObject(api, d, old, opts);
  return { code: 200, body: deletedResponse(d, out) };
}

export function handleDeleteCollection(
  api: ApiContext,
  d: KindDescriptor,
  req: RestRequest,
): RestResult {
  const opts = parseDeleteOptions(req);
  const filter = selectorFilter(d, req.query);
  const items = api.store.list(
    keyOf(d),
    d.namespaced ? req.info.namespace : undefined,
    filter,
  );
  const out: KObject[] = [];
  for (const item of items) {
    try {
      out.push(deleteObject(api, d, item, opts).object);
    } catch (e) {
      // An item deleted concurrently is not an error for deletecollection.
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
  return {
    code: 200,
    body: {
      kind: `${d.kind}List`,
      apiVersion: apiVersionOf(d),
      metadata: { resourceVersion: String(api.store.resourceVersion) },
      items: out.map(o => listItem(d, o)),
    },
  };
}
