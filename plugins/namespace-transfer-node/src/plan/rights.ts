/**
 * The rights a transfer's flow needs, derived from the shipped roles' own tagged rules (rbac/), and what
 * the plan says when the cluster answered that some are missing. Pure: gather/rights.ts asks the clusters.
 */
import type {
  EndpointKind,
  Plan,
  TransferIntent,
  WorkloadRef,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type { PlanFacts } from './facts';
import {
  COPY_ROLE_GRANTS,
  NODEPORT_GRANTS,
  REBIND_CLUSTER_ROLE_GRANTS,
  type FlowCondition,
  type Grant,
  type Side,
} from '../rbac';

/**
 * What decides which rights a transfer needs: the plan's choices and what it found in the source.
 *
 * @public
 */
export interface TransferFlow {
  mode: 'copy' | 'rebind';
  intent: TransferIntent;
  endpoint?: EndpointKind;
  deleteSource?: boolean;
  routeApiServed?: boolean;
  /** kinds of the source's workloads that quiesce stops */
  quiesces: WorkloadRef['kind'][];
}

/**
 * One right on one side: in that side's namespace, or its cluster for a cluster-scoped resource.
 *
 * @public
 */
export interface Right {
  side: Side;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  clusterScoped: boolean;
}

/**
 * A right the cluster said is missing, with where and for whom.
 *
 * @public
 */
export interface MissingRight extends Right {
  namespace?: string;
  identity: string;
}

const CLUSTER_SCOPED = new Set([
  'persistentvolumes',
  'nodes',
  'namespaces',
  'storageclasses',
]);

function holds(when: FlowCondition | undefined, flow: TransferFlow): boolean {
  if (!when) return true;
  if (when.intent && when.intent !== flow.intent) return false;
  if (when.deleteSource && !flow.deleteSource) return false;
  if (when.endpoint && when.endpoint !== flow.endpoint) return false;
  if (when.routeApiServed && !flow.routeApiServed) return false;
  if (when.quiesces === 'any') return flow.quiesces.length > 0;
  if (when.quiesces) return when.quiesces.some(k => flow.quiesces.includes(k));
  return true;
}

const key = (r: Right) =>
  `${r.side} ${r.verb} ${r.group}/${r.resource}/${r.subresource ?? ''}`;

/**
 * Every right the flow needs, once each, from the grants of the roles that flow runs with.
 *
 * @public
 */
export function rightsFor(flow: TransferFlow): Right[] {
  const grants: Grant[] =
    flow.mode === 'rebind'
      ? REBIND_CLUSTER_ROLE_GRANTS
      : [...COPY_ROLE_GRANTS, ...NODEPORT_GRANTS];
  const out = new Map<string, Right>();
  for (const g of grants) {
    if (!g.need || !holds(g.need.when, flow)) continue;
    for (const side of g.need.sides)
      for (const group of g.apiGroups ?? [])
        for (const combined of g.resources ?? [])
          for (const verb of g.verbs) {
            const [resource, subresource] = combined.split('/');
            const right: Right = {
              side,
              verb,
              group,
              resource,
              ...(subresource ? { subresource } : {}),
              clusterScoped: CLUSTER_SCOPED.has(resource),
            };
            out.set(key(right), right);
          }
  }
  return [...out.values()];
}

/**
 * As readableError words a 403: `forbidden: cannot create services in namespace shop (as …)`.
 *
 * @public
 */
export function describeMissing(m: MissingRight): string {
  const resource = m.subresource
    ? `${m.resource}/${m.subresource}`
    : m.resource;
  const what = m.group ? `${resource}.${m.group}` : resource;
  const where = m.namespace ? `in namespace ${m.namespace}` : 'cluster-wide';
  return `forbidden: cannot ${m.verb} ${what} ${where} (as ${m.identity})`;
}

/**
 * What gathering learnt of the identities' rights for the flow the plan chose.
 *
 * @public
 */
export interface RightsFacts {
  missing: MissingRight[];
  /** why some or all rights could not be checked: the plan warns, never refuses on a guess */
  unchecked: string[];
}

/**
 * The flow a plan chose, as rightsFor needs it.
 *
 * @public
 */
export function flowOf(
  plan: Pick<Plan, 'mode' | 'intent' | 'endpoint'>,
  facts: Pick<PlanFacts, 'spec' | 'discovery' | 'sourceWorkloads'>,
): TransferFlow {
  return {
    mode: plan.mode,
    intent: plan.intent,
    endpoint: plan.endpoint,
    deleteSource: facts.spec.options?.deleteSource === true,
    routeApiServed: facts.discovery.routeApiServed,
    quiesces: [...new Set(facts.sourceWorkloads.map(w => w.ref.kind))],
  };
}

/**
 * The plan's refusals and warnings from what gathering learnt.
 *
 * @public
 */
export function rightsVerdict(rights: RightsFacts | undefined): {
  refusals: string[];
  warnings: string[];
} {
  return {
    refusals: (rights?.missing ?? []).map(describeMissing),
    warnings: rights?.unchecked ?? [],
  };
}
