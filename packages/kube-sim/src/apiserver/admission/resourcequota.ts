/**
 * ResourceQuota admission (plugin/pkg/admission/resourcequota), a validating plugin: a new object (or a
 * claim that grows) is charged to every quota of its namespace that limits something it uses. The
 * charge is written to the quota's status.used at once, so that the next request sees it before the
 * resource-quota controller recomputes. Quotas with scopes or a scopeSelector are not evaluated.
 */
import type { AdmissionAttributes, AdmissionPlugin } from '.';
import { forbidden } from '../errors';
import {
  resourceKey,
  type KindDescriptor,
  type KObject,
} from '../registry/types';
import type { Store } from '../store';
import {
  add,
  exceeded,
  formatResourceList,
  isZero,
  mask,
  parseResourceList,
  prettyPrint,
  subtractNonNegative,
  type ResourceList,
} from '../../lib/quota/resourceList';
import { counts, missingComputeSpec, usageOf } from '../../lib/quota/usage';

const isScoped = (q: KObject) =>
  !!(q.spec?.scopes?.length || q.spec?.scopeSelector?.matchExpressions?.length);

interface Charge {
  quota: KObject;
  used: ResourceList;
}

/** The quotas that limit something `resource` uses, each with its new usage; throws on a refusal. */
function charge(
  store: Store,
  d: KindDescriptor,
  obj: KObject,
  delta: ResourceList,
): Charge[] {
  const resource = resourceKey(d);
  const refuse = (why: string) => {
    throw forbidden(
      { group: d.group, resource: d.plural },
      obj.metadata.name,
      why,
    );
  };
  const interesting: Array<{
    quota: KObject;
    hard: ResourceList;
    restricted: string[];
  }> = [];
  for (const quota of store.list('resourcequotas', obj.metadata.namespace)) {
    if (isScoped(quota)) continue;
    const hard = parseResourceList(quota.status?.hard);
    const restricted = Object.keys(hard)
      .filter(n => counts(resource, n))
      .sort();
    if (!restricted.length) continue;
    if (resource === 'pods') {
      const missing = missingComputeSpec(obj, restricted);
      if (missing) refuse(`failed quota: ${quota.metadata.name}: ${missing}`);
    }
    const unknown = restricted.filter(
      n => quota.status?.used?.[n] === undefined,
    );
    if (unknown.length)
      refuse(
        `status unknown for quota: ${quota.metadata.name}, resources: ${restricted.join(',')}`,
      );
    interesting.push({ quota, hard, restricted });
  }
  return interesting.map(({ quota, hard, restricted }) => {
    const used = parseResourceList(quota.status.used);
    const requested = mask(delta, restricted);
    const next = add(used, requested);
    const over = exceeded(mask(next, Object.keys(requested)), hard);
    if (over.length)
      refuse(
        `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(mask(requested, over))}, used: ${prettyPrint(mask(used, over))}, limited: ${prettyPrint(mask(hard, over))}`,
      );
    return { quota, used: next };
  });
}

function record(store: Store, charges: Charge[]): void {
  for (const { quota, used } of charges) {
    const next = structuredClone(quota);
    next.status.used = { ...quota.status.used, ...formatResourceList(used) };
    store.update('resourcequotas', next, quota);
  }
}

function admit(
  store: Store,
  d: KindDescriptor,
  obj: KObject,
  old: KObject | undefined,
  attrs: AdmissionAttributes,
): void {
  if (!d.namespaced || attrs.subresource || !obj.metadata?.namespace) return;
  if (!store.list('resourcequotas', obj.metadata.namespace).length) return;
  const resource = resourceKey(d);
  let delta = usageOf(resource, obj);
  if (old) delta = subtractNonNegative(delta, usageOf(resource, old));
  if (isZero(delta)) return;
  const charges = charge(store, d, obj, delta);
  if (!attrs.dryRun) record(store, charges);
}

const UPDATE_EVALUATED = ['PersistentVolumeClaim', 'Service'];

export function resourceQuota(store: Store): AdmissionPlugin {
  return {
    validateCreate: (d, obj, attrs) => admit(store, d, obj, undefined, attrs),
    validateUpdate(d, obj, old, attrs) {
      // Re-evaluated on update as upstream's evaluators handle it: a claim that grows, a Service that
      // becomes a NodePort or LoadBalancer; anything else is charged once, at creation.
      if (!d.group && UPDATE_EVALUATED.includes(d.kind))
        admit(store, d, obj, old, attrs);
    },
  };
}
