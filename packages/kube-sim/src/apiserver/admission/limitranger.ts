/**
 * LimitRanger admission (plugin/pkg/admission/limitranger): a new pod's containers get the namespace's
 * LimitRange defaults for what they leave out, then pods and claims are checked against each range's
 * min, max and maxLimitRequestRatio. Pod updates are left alone (their resources cannot change); claim
 * updates are checked, so a resize cannot grow past the max.
 */
import type { AdmissionPlugin } from '.';
import { forbidden } from '../errors';
import type { KObject } from '../registry/types';
import type { Store } from '../store';
import {
  add,
  formatQuantity,
  parseResourceList,
  type Quantity,
  type ResourceList,
} from '../../lib/quota/resourceList';

const ANNOTATION = 'kubernetes.io/limit-ranger';

/** Fills what a container leaves out; returns which resources were set, for the annotation. */
function defaultContainer(
  c: KObject,
  defaults: KObject,
): { req: string[]; lim: string[] } {
  const set = { req: [] as string[], lim: [] as string[] };
  c.resources ??= {};
  for (const [k, v] of Object.entries<string>(defaults.default)) {
    c.resources.limits ??= {};
    if (c.resources.limits[k] !== undefined) continue;
    c.resources.limits[k] = v;
    set.lim.push(k);
  }
  for (const [k, v] of Object.entries<string>(defaults.defaultRequest)) {
    c.resources.requests ??= {};
    if (c.resources.requests[k] !== undefined) continue;
    c.resources.requests[k] = v;
    set.req.push(k);
  }
  return set;
}

/**
 * defaultContainerResourceRequirements + mergePodResourceRequirements for one LimitRange: its Container
 * items' defaults merged (a later item wins), given to each container for what it leaves out, and the
 * annotation saying what was set.
 */
function applyDefaults(pod: KObject, items: KObject[]): void {
  const defaults = { default: {}, defaultRequest: {} } as KObject;
  for (const item of items.filter(i => i.type === 'Container')) {
    Object.assign(defaults.default, item.default ?? {});
    Object.assign(defaults.defaultRequest, item.defaultRequest ?? {});
  }
  const notes: string[] = [];
  const note = (set: string[], what: string, prefix: string, c: KObject) => {
    if (set.length)
      notes.push(`${set.sort().join(', ')} ${what} for ${prefix} ${c.name}`);
  };
  const each = (list: KObject[] | undefined, prefix: string) => {
    for (const c of list ?? []) {
      const { req, lim } = defaultContainer(c, defaults);
      note(req, 'request', prefix, c);
      note(lim, 'limit', prefix, c);
    }
  };
  each(pod.spec?.containers, 'container');
  each(pod.spec?.initContainers, 'init container');
  if (!notes.length) return;
  pod.metadata.annotations = {
    ...(pod.metadata.annotations ?? {}),
    [ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}`,
  };
}

// Go's %f: six decimals
const ratio = (n: number) => n.toFixed(6);

function minConstraint(
  type: string,
  k: string,
  enforced: Quantity,
  req: ResourceList,
  lim: ResourceList,
): string | undefined {
  const e = formatQuantity(enforced);
  if (!req[k])
    return `minimum ${k} usage per ${type} is ${e}.  No request is specified`;
  if (req[k].nanos < enforced.nanos)
    return `minimum ${k} usage per ${type} is ${e}, but request is ${formatQuantity(req[k])}`;
  if (lim[k] && lim[k].nanos < enforced.nanos)
    return `minimum ${k} usage per ${type} is ${e}, but limit is ${formatQuantity(lim[k])}`;
  return undefined;
}

function maxConstraint(
  type: string,
  k: string,
  enforced: Quantity,
  req: ResourceList,
  lim: ResourceList,
): string | undefined {
  const e = formatQuantity(enforced);
  if (!lim[k])
    return `maximum ${k} usage per ${type} is ${e}.  No limit is specified`;
  if (lim[k].nanos > enforced.nanos)
    return `maximum ${k} usage per ${type} is ${e}, but limit is ${formatQuantity(lim[k])}`;
  if (req[k] && req[k].nanos > enforced.nanos)
    return `maximum ${k} usage per ${type} is ${e}, but request is ${formatQuantity(req[k])}`;
  return undefined;
}

function ratioConstraint(
  type: string,
  k: string,
  enforced: Quantity,
  req: ResourceList,
  lim: ResourceList,
): string | undefined {
  const e = formatQuantity(enforced);
  if (!req[k] || req[k].nanos === 0n)
    return `${k} max limit to request ratio per ${type} is ${e}, but no request is specified or request is 0`;
  if (!lim[k] || lim[k].nanos === 0n)
    return `${k} max limit to request ratio per ${type} is ${e}, but no limit is specified or limit is 0`;
  const observed = Number(lim[k].nanos) / Number(req[k].nanos);
  if (observed * 1e9 > Number(enforced.nanos))
    return `${k} max limit to request ratio per ${type} is ${e}, but provided ratio is ${ratio(observed)}`;
  return undefined;
}

function checkItem(
  item: KObject,
  req: ResourceList,
  lim: ResourceList,
): string[] {
  const out: (string | undefined)[] = [];
  const each = (part: string, f: typeof minConstraint) => {
    for (const [k, v] of Object.entries(parseResourceList(item[part])))
      out.push(f(item.type, k, v, req, lim));
  };
  each('min', minConstraint);
  each('max', maxConstraint);
  each('maxLimitRequestRatio', ratioConstraint);
  return out.filter((m): m is string => !!m);
}

/** Requests/limits of the whole pod: the containers' sum, or an init container's if that is larger. */
function podTotal(pod: KObject, kind: 'requests' | 'limits'): ResourceList {
  let sum: ResourceList = {};
  for (const c of pod.spec?.containers ?? [])
    sum = add(sum, parseResourceList(c.resources?.[kind]));
  for (const c of pod.spec?.initContainers ?? [])
    for (const [k, v] of Object.entries(parseResourceList(c.resources?.[kind])))
      if (!sum[k] || sum[k].nanos < v.nanos) sum[k] = v;
  return sum;
}

function podViolations(pod: KObject, items: KObject[]): string[] {
  const out: string[] = [];
  const containers = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []),
  ];
  for (const item of items) {
    if (item.type === 'Container')
      for (const c of containers)
        out.push(
          ...checkItem(
            item,
            parseResourceList(c.resources?.requests),
            parseResourceList(c.resources?.limits),
          ),
        );
    if (item.type === 'Pod')
      out.push(
        ...checkItem(item, podTotal(pod, 'requests'), podTotal(pod, 'limits')),
      );
  }
  return out;
}

/** Claims: min against the request; max also against the request (a claim has no limit of its own). */
function claimViolations(claim: KObject, items: KObject[]): string[] {
  const out: string[] = [];
  const req = parseResourceList(claim.spec?.resources?.requests);
  for (const item of items.filter(i => i.type === 'PersistentVolumeClaim')) {
    for (const [k, v] of Object.entries(parseResourceList(item.min))) {
      const m = minConstraint(item.type, k, v, req, {});
      if (m) out.push(m);
    }
    for (const [k, v] of Object.entries(parseResourceList(item.max))) {
      const e = formatQuantity(v);
      if (!req[k])
        out.push(
          `maximum ${k} usage per ${item.type} is ${e}.  No request is specified`,
        );
      else if (req[k].nanos > v.nanos)
        out.push(
          `maximum ${k} usage per ${item.type} is ${e}, but request is ${formatQuantity(req[k])}`,
        );
    }
  }
  return out;
}

/** utilerrors.NewAggregate: one error as itself, several in brackets. */
const aggregate = (msgs: string[]) =>
  msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;

/** admission.NewForbidden names the object; before the name is generated, by its generateName. */
function refuse(resource: string, obj: KObject, msgs: string[]): never {
  const { name, generateName } = obj.metadata;
  const shown =
    generateName && name?.startsWith(generateName) ? generateName : name;
  throw forbidden({ group: '', resource }, shown, aggregate(msgs));
}

export function limitRanger(store: Store): AdmissionPlugin {
  // each LimitRange in turn, as upstream: its defaults, then its checks; the first one refusing decides
  const check = (
    d: { group: string; kind: string },
    obj: KObject,
    mutate: boolean,
  ) => {
    if (d.group) return;
    for (const range of store.list('limitranges', obj.metadata?.namespace)) {
      const items: KObject[] = range.spec?.limits ?? [];
      if (d.kind === 'Pod') {
        if (mutate) applyDefaults(obj, items);
        const v = podViolations(obj, items);
        if (v.length) refuse('pods', obj, v);
      }
      if (d.kind === 'PersistentVolumeClaim') {
        const v = claimViolations(obj, items);
        if (v.length) refuse('persistentvolumeclaims', obj, v);
      }
    }
  };
  return {
    admitCreate: (d, obj) => check(d, obj, true),
    admitUpdate(d, obj, _old, attrs) {
      if (d.kind === 'PersistentVolumeClaim' && !attrs.subresource)
        check(d, obj, false);
    },
  };
}
