import type {
  V1LimitRange,
  V1LimitRangeItem,
  V1ResourceQuota,
} from '@kubernetes/client-node';
import type {
  EndpointKind,
  MoverContainerResources,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  moverContainerResources,
  type MoverResourceOptions,
} from '../pods/resources';
import { formatAmount, quantityValue } from './quantity';

/**
 * A namespace's ResourceQuotas and LimitRanges, or why they are unknown: an identity that may not list
 * them (403) gets a plan warning, not a refusal, and the API server still enforces them.
 *
 * @public
 */
export type NamespacePolicy =
  | { quotas: V1ResourceQuota[]; limitRanges: V1LimitRange[] }
  | { unreadable: string };

/** @public */
export interface QuotaFacts {
  source?: NamespacePolicy;
  destination?: NamespacePolicy;
  /** the operator's mover resources (engine options, CLI, backend config) */
  moverResources?: MoverResourceOptions;
}

type Amounts = Record<string, number>;

/** One object the transfer would create, and what it is charged to its namespace's quotas. */
interface Charge {
  what: string;
  usage: Amounts;
}

/** @public */
export interface QuotaInput {
  facts?: QuotaFacts;
  mode: 'copy' | 'rebind';
  source: { cluster: string; namespace: string };
  destination: {
    cluster: string;
    namespace: string;
    sizeBytes?: number;
    storageClassName?: string;
  };
  /** containers in each mover pod: the mover, and the stunnel sidecar when it carries the data */
  containersPerPod: number;
  /** how the server is reached: its Service (one port) is a NodePort or LoadBalancer for those */
  endpoint?: EndpointKind;
}

/** @public */
export interface QuotaVerdict {
  refusals: string[];
  warnings: string[];
  moverResources?: {
    source: MoverContainerResources;
    destination: MoverContainerResources;
  };
}

const CLASS = '.storageclass.storage.k8s.io/';
/** who can fix a mover pod a LimitRange refuses: the operator, not the requester */
const MOVER_RESOURCES_HINT =
  '(the mover resources are set by nstransfer --mover-* or namespaceTransfer.mover.resources)';
const COMPUTE = ['cpu', 'memory'] as const;

const value = (q: unknown) => quantityValue(q as string | undefined);
const isScoped = (q: V1ResourceQuota) =>
  !!(q.spec?.scopes?.length || q.spec?.scopeSelector?.matchExpressions?.length);
const hardOf = (q: V1ResourceQuota) => q.status?.hard ?? q.spec?.hard ?? {};

/** `limits.cpu` in a quota's hard set: every container must then carry a CPU limit. */
function demandedLimits(
  policy: NamespacePolicy | undefined,
): Array<'cpu' | 'memory'> {
  if (!policy || 'unreadable' in policy) return [];
  return COMPUTE.filter(r =>
    policy.quotas.some(
      q => !isScoped(q) && hardOf(q)[`limits.${r}`] !== undefined,
    ),
  );
}

const containerItems = (
  p: NamespacePolicy | undefined,
  type: string,
): Array<{ lr: string; item: V1LimitRangeItem }> =>
  !p || 'unreadable' in p
    ? []
    : p.limitRanges.flatMap(lr =>
        (lr.spec?.limits ?? [])
          .filter(i => i.type === type)
          .map(item => ({ lr: lr.metadata?.name ?? '', item })),
      );

/** The smallest maximum per container the namespace's LimitRanges set, per resource. */
function containerCaps(policy: NamespacePolicy | undefined): {
  cpu?: string;
  memory?: string;
} {
  const caps: { cpu?: string; memory?: string } = {};
  for (const { item } of containerItems(policy, 'Container'))
    for (const r of COMPUTE) {
      const max = item.max?.[r];
      if (max !== undefined && (value(max) ?? 0) < (value(caps[r]) ?? Infinity))
        caps[r] = max;
    }
  return caps;
}

/** A container as admitted: ours, with what the LimitRanger fills in from the namespace's defaults. */
function admitted(
  res: MoverContainerResources,
  policy: NamespacePolicy | undefined,
): { requests: Amounts; limits: Amounts } {
  const requests: Amounts = {};
  const limits: Amounts = {};
  for (const r of COMPUTE) {
    const req = value(res.requests[r]);
    const lim = value(res.limits?.[r]);
    if (req !== undefined) requests[r] = req;
    if (lim !== undefined) limits[r] = lim;
  }
  for (const { item } of containerItems(policy, 'Container')) {
    const dflt = { ...(item.max ?? {}), ...(item._default ?? {}) };
    for (const [r, q] of Object.entries(dflt)) limits[r] ??= value(q) ?? 0;
    const dreq = {
      ...(item.min ?? {}),
      ...dflt,
      ...(item.defaultRequest ?? {}),
    };
    for (const [r, q] of Object.entries(dreq)) requests[r] ??= value(q) ?? 0;
  }
  // a limit without a request is also the request (API defaulting)
  for (const [r, v] of Object.entries(limits)) requests[r] ??= v;
  return { requests, limits };
}

function podCharge(
  what: string,
  c: { requests: Amounts; limits: Amounts },
  n: number,
): Charge {
  const usage: Amounts = { pods: 1, 'count/pods': 1 };
  for (const [r, v] of Object.entries(c.requests)) {
    usage[r] = v * n;
    usage[`requests.${r}`] = v * n;
  }
  for (const [r, v] of Object.entries(c.limits)) usage[`limits.${r}`] = v * n;
  return { what, usage };
}

function claimCharge(
  size: number | undefined,
  cls: string | undefined,
): Charge {
  const usage: Amounts = {
    persistentvolumeclaims: 1,
    'count/persistentvolumeclaims': 1,
  };
  if (cls) usage[`${cls}${CLASS}persistentvolumeclaims`] = 1;
  if (size !== undefined) {
    usage['requests.storage'] = size;
    if (cls) usage[`${cls}${CLASS}requests.storage`] = size;
  }
  return { what: 'the destination claim', usage };
}

const objects = (what: string, usage: Amounts): Charge => ({ what, usage });

/** A LoadBalancer Service also takes a node port per port (allocateLoadBalancerNodePorts defaults true). */
function exposedServiceUsage(endpoint: EndpointKind | undefined): Amounts {
  if (endpoint === 'loadbalancer')
    return { 'services.loadbalancers': 1, 'services.nodeports': 1 };
  if (endpoint === 'nodeport') return { 'services.nodeports': 1 };
  return {};
}

/** What would not fit in each quota of one namespace, one message per quota and resource. */
function quotaRefusals(
  ns: string,
  policy: NamespacePolicy,
  charges: Charge[],
): string[] {
  if ('unreadable' in policy) return [];
  const out: string[] = [];
  for (const q of policy.quotas.filter(x => !isScoped(x))) {
    const hard = hardOf(q);
    for (const [r, limit] of Object.entries(hard)) {
      const by = charges.filter(c => c.usage[r]);
      const need = by.reduce((s, c) => s + c.usage[r], 0);
      if (!need) continue;
      const used = value(q.status?.used?.[r]) ?? 0;
      const max = value(limit) ?? Infinity;
      if (used + need <= max) continue;
      out.push(
        `ResourceQuota ${ns}/${q.metadata?.name}: ${by.map(c => c.what).join(' and ')} would add ${r} ${formatAmount(r, need)} to the ${formatAmount(r, used)} used of ${formatAmount(r, max)}`,
      );
    }
  }
  return out;
}

function rangeMessages(
  ns: string,
  lr: string,
  type: string,
  what: string,
  r: string,
  c: { requests: Amounts; limits: Amounts },
  item: V1LimitRangeItem,
): string[] {
  const out: string[] = [];
  const at = `LimitRange ${ns}/${lr}: ${what}`;
  const min = value(item.min?.[r]);
  const max = value(item.max?.[r]);
  const ratio = value(item.maxLimitRequestRatio?.[r]);
  const req = c.requests[r];
  const lim = c.limits[r];
  if (min !== undefined && (req ?? 0) < min)
    out.push(
      `${at} would ask for ${r} ${formatAmount(r, req ?? 0)}, below the minimum per ${type} of ${formatAmount(r, min)}`,
    );
  const top = Math.max(lim ?? 0, req ?? 0);
  if (max !== undefined && lim === undefined)
    out.push(
      `${at} would have no ${r} limit, which the maximum per ${type} of ${formatAmount(r, max)} requires`,
    );
  else if (max !== undefined && top > max)
    out.push(
      `${at} would have ${r} ${formatAmount(r, top)}, above the maximum per ${type} of ${formatAmount(r, max)}`,
    );
  if (ratio !== undefined && (!req || !lim || lim / req > ratio))
    out.push(
      `${at} would have a ${r} limit to request ratio of ${req && lim ? (lim / req).toFixed(2) : 'none'}, above the maximum per ${type} of ${formatAmount('', ratio)}`,
    );
  return out;
}

/** Mover containers and pods, and the claim, against the namespace's LimitRanges. */
function limitRangeRefusals(
  ns: string,
  policy: NamespacePolicy | undefined,
  pod:
    | {
        what: string;
        container: { requests: Amounts; limits: Amounts };
        n: number;
      }
    | undefined,
  claimBytes: number | undefined,
): string[] {
  const out: string[] = [];
  if (pod) {
    for (const { lr, item } of containerItems(policy, 'Container'))
      for (const r of new Set([
        ...Object.keys(item.min ?? {}),
        ...Object.keys(item.max ?? {}),
        ...Object.keys(item.maxLimitRequestRatio ?? {}),
      ]))
        out.push(
          ...rangeMessages(
            ns,
            lr,
            'Container',
            `each container of ${pod.what}`,
            r,
            pod.container,
            item,
          ),
        );
    const total = { requests: {} as Amounts, limits: {} as Amounts };
    for (const [k, v] of Object.entries(pod.container.requests))
      total.requests[k] = v * pod.n;
    for (const [k, v] of Object.entries(pod.container.limits))
      total.limits[k] = v * pod.n;
    for (const { lr, item } of containerItems(policy, 'Pod'))
      for (const r of new Set([
        ...Object.keys(item.min ?? {}),
        ...Object.keys(item.max ?? {}),
      ]))
        out.push(
          ...rangeMessages(ns, lr, 'Pod', pod.what, r, total, {
            ...item,
            maxLimitRequestRatio: undefined,
          }),
        );
  }
  if (claimBytes !== undefined)
    for (const { lr, item } of containerItems(
      policy,
      'PersistentVolumeClaim',
    )) {
      const min = value(item.min?.storage);
      const max = value(item.max?.storage);
      if (min !== undefined && claimBytes < min)
        out.push(
          `LimitRange ${ns}/${lr}: the destination claim's ${formatAmount('storage', claimBytes)} is below the minimum storage per PersistentVolumeClaim of ${formatAmount('storage', min)}`,
        );
      if (max !== undefined && claimBytes > max)
        out.push(
          `LimitRange ${ns}/${lr}: the destination claim's ${formatAmount('storage', claimBytes)} is above the maximum storage per PersistentVolumeClaim of ${formatAmount('storage', max)}`,
        );
    }
  return out;
}

/**
 * Whether what the transfer creates fits the quotas and LimitRanges of the namespaces it creates it in:
 * the destination claim (copy and rebind), and for a copy the mover pods with their Secret and ConfigMap
 * on each side and the destination's Service. Also the resources the mover containers get: requests
 * always, limits where a quota of their namespace demands them.
 *
 * @public
 */
export function quotaVerdict(input: QuotaInput): QuotaVerdict {
  const { facts, mode, source, destination } = input;
  const warnings: string[] = [];
  for (const p of [facts?.source, facts?.destination])
    if (p && 'unreadable' in p && !warnings.includes(p.unreadable))
      warnings.push(p.unreadable);
  const sameNamespace =
    source.cluster === destination.cluster &&
    source.namespace === destination.namespace;
  const dstCharges: Charge[] = [];
  const srcCharges: Charge[] = [];
  // a rebind within one namespace is a rename: the source claim is deleted before its successor exists
  if (!(mode === 'rebind' && sameNamespace))
    dstCharges.push(
      claimCharge(input.destination.sizeBytes, destination.storageClassName),
    );
  const refusals: string[] = [];
  let moverResources: QuotaVerdict['moverResources'];
  let pods: Array<{
    ns: string;
    what: string;
    container: { requests: Amounts; limits: Amounts };
  }> = [];
  if (mode === 'copy') {
    moverResources = {
      source: moverContainerResources(
        facts?.moverResources,
        demandedLimits(facts?.source),
        containerCaps(facts?.source),
      ),
      destination: moverContainerResources(
        facts?.moverResources,
        demandedLimits(facts?.destination),
        containerCaps(facts?.destination),
      ),
    };
    const server = admitted(moverResources.destination, facts?.destination);
    const client = admitted(moverResources.source, facts?.source);
    dstCharges.push(
      podCharge('the mover server pod', server, input.containersPerPod),
      objects('its Secret, ConfigMap and Service', {
        secrets: 1,
        'count/secrets': 1,
        configmaps: 1,
        'count/configmaps': 1,
        services: 1,
        'count/services': 1,
        ...exposedServiceUsage(input.endpoint),
      }),
    );
    srcCharges.push(
      podCharge('the mover client pod', client, input.containersPerPod),
      objects("the client's Secret and ConfigMap", {
        secrets: 1,
        'count/secrets': 1,
        configmaps: 1,
        'count/configmaps': 1,
      }),
    );
    pods = [
      {
        ns: `${destination.cluster}/${destination.namespace}`,
        what: 'the mover server pod',
        container: server,
      },
      {
        ns: `${source.cluster}/${source.namespace}`,
        what: 'the mover client pod',
        container: client,
      },
    ];
  }
  const dstName = `${destination.cluster}/${destination.namespace}`;
  const srcName = `${source.cluster}/${source.namespace}`;
  const sides = sameNamespace
    ? [
        {
          ns: dstName,
          policy: facts?.destination,
          charges: [...dstCharges, ...srcCharges],
        },
      ]
    : [
        { ns: dstName, policy: facts?.destination, charges: dstCharges },
        { ns: srcName, policy: facts?.source, charges: srcCharges },
      ];
  for (const side of sides) {
    if (!side.policy) continue;
    refusals.push(...quotaRefusals(side.ns, side.policy, side.charges));
  }
  for (const p of pods)
    refusals.push(
      ...limitRangeRefusals(
        p.ns,
        p.ns === dstName ? facts?.destination : facts?.source,
        { what: p.what, container: p.container, n: input.containersPerPod },
        undefined,
      ).map(m => `${m} ${MOVER_RESOURCES_HINT}`),
    );
  if (!(mode === 'rebind' && sameNamespace))
    refusals.push(
      ...limitRangeRefusals(
        dstName,
        facts?.destination,
        undefined,
        destination.sizeBytes,
      ),
    );
  return { refusals, warnings, moverResources };
}
