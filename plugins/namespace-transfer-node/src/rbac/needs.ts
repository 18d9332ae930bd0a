/**
 * When a transfer needs a grant of the shipped roles: on which side (the source's namespace and cluster,
 * the destination's) and under which condition of the flow the plan chose. Tagging the roles' own rules
 * keeps what the plan checks and what deploy/ grants one list.
 */
import type { V1PolicyRule } from '@kubernetes/client-node';
import type {
  EndpointKind,
  TransferIntent,
  WorkloadRef,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/**
 * The side of a transfer a grant is needed on. Exported from the package as FlowSide.
 *
 * @public
 */
export type Side = 'source' | 'destination';

/** Every field set must hold for the grant to be needed. */
export interface FlowCondition {
  intent?: TransferIntent;
  /** a move asked to delete its source claim */
  deleteSource?: true;
  endpoint?: EndpointKind;
  /** the destination cluster serves route.openshift.io */
  routeApiServed?: true;
  /** quiesce stops (and restore gives back) a workload of one of these kinds; 'any': any kind */
  quiesces?: WorkloadRef['kind'][] | 'any';
}

export interface Need {
  sides: Side[];
  when?: FlowCondition;
}

/** A rule of a shipped role; `need` unset: granted, never required by the plan. */
export interface Grant extends V1PolicyRule {
  need?: Need;
}

export const SRC: Side[] = ['source'];
export const DST: Side[] = ['destination'];
export const BOTH: Side[] = ['source', 'destination'];
/** a cluster-scoped object of the source's cluster (rebind: the only cluster) */
export const CLUSTER: Side[] = SRC;

export function grant(
  apiGroup: string,
  resource: string,
  verbs: string[],
  need?: Need,
): Grant {
  return {
    apiGroups: [apiGroup],
    resources: [resource],
    verbs,
    ...(need ? { need } : {}),
  };
}
