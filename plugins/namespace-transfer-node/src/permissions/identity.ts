import type { V1PodSpec } from '@kubernetes/client-node';
import type { Identity } from '@namespace-transfer/plugin-namespace-transfer-common';

/** @public */
export const OPENSHIFT_UID_RANGE = 'openshift.io/sa.scc.uid-range';
/** @public */
export const OPENSHIFT_SUPPLEMENTAL_GROUPS =
  'openshift.io/sa.scc.supplemental-groups';

/**
 * A non-root id used when nothing tells us better; distinct from common image users (1000).
 *
 * @public
 */
export const DEFAULT_ID = 65532;

/** @public */
export interface IdentityFacts {
  override?: { runAsUser?: number; runAsGroup?: number; fsGroup?: number };
  /** pod specs (templates) of the workloads that will use the destination PVC */
  destinationPodSpecs?: V1PodSpec[];
  destinationNamespaceAnnotations?: Record<string, string>;
  /** pod specs of the workloads that use the source PVC */
  sourcePodSpecs?: V1PodSpec[];
}

/**
 * Parses `1000650000/10000` (start/size) or `1000650000-1000659999` (start-end) into the first id.
 *
 * @public
 */
export function parseRangeStart(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const first = value.split(',')[0].trim();
  const m = /^(\d+)(?:[/-]\d+)?$/.exec(first);
  return m ? Number(m[1]) : undefined;
}

/**
 * The user and group ids a pod runs as.
 *
 * @public
 */
export interface Ids {
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
}

/**
 * The ids a pod spec runs its (first) containers as; container settings override the pod's.
 *
 * @public
 */
export function idsFromPodSpec(spec: V1PodSpec): Ids {
  const pod = spec.securityContext ?? {};
  const container =
    spec.containers.find(c => c.securityContext?.runAsUser !== undefined)
      ?.securityContext ?? {};
  return {
    runAsUser: container.runAsUser ?? pod.runAsUser,
    runAsGroup: container.runAsGroup ?? pod.runAsGroup,
    fsGroup: pod.fsGroup,
  };
}

function firstWithUser(specs: V1PodSpec[] | undefined): Ids | undefined {
  for (const spec of specs ?? []) {
    const ids = idsFromPodSpec(spec);
    if (ids.runAsUser !== undefined && ids.runAsUser !== 0) return ids;
  }
  return undefined;
}

/**
 * Who the destination's files should belong to. The mover server runs as this identity, so files land
 * owned by it without any chown (which restricted pods cannot do). Order: explicit override, the
 * destination workload, the destination namespace's OpenShift range, the source workload, a default.
 *
 * @public
 */
export function selectIdentity(facts: IdentityFacts): Identity {
  const annotations = facts.destinationNamespaceAnnotations ?? {};
  const rangeUser = parseRangeStart(annotations[OPENSHIFT_UID_RANGE]);
  const rangeGroup = parseRangeStart(
    annotations[OPENSHIFT_SUPPLEMENTAL_GROUPS],
  );
  // on platforms that assign arbitrary UIDs, the next pod may run as another UID of the range but always
  // with the group: only group-writable files stay usable
  const groupWritable = rangeUser !== undefined;

  const build = (ids: Ids, source: Identity['source']): Identity => {
    const runAsUser = ids.runAsUser ?? DEFAULT_ID;
    const runAsGroup = ids.runAsGroup ?? ids.fsGroup ?? rangeGroup ?? runAsUser;
    const fsGroup = ids.fsGroup ?? rangeGroup ?? runAsGroup;
    return { runAsUser, runAsGroup, fsGroup, source, groupWritable };
  };

  if (facts.override?.runAsUser !== undefined)
    return build(facts.override, 'override');
  const dest = firstWithUser(facts.destinationPodSpecs);
  if (dest) return build(dest, 'destination-workload');
  if (rangeUser !== undefined)
    return build(
      { runAsUser: rangeUser, runAsGroup: rangeGroup, fsGroup: rangeGroup },
      'namespace-uid-range',
    );
  const src = firstWithUser(facts.sourcePodSpecs);
  if (src) return build(src, 'source-workload');
  return build(
    { runAsUser: DEFAULT_ID, runAsGroup: DEFAULT_ID, fsGroup: DEFAULT_ID },
    'default',
  );
}

/**
 * Who the client pod runs as: it only reads the source, so it takes the identity of the workload that
 * wrote the files (and its fsGroup as a supplemental group), never an fsGroup of its own, which would make
 * the kubelet change the group of the source's files.
 *
 * @public
 */
export function clientIdentity(sourcePodSpecs: V1PodSpec[] | undefined): {
  runAsUser: number;
  runAsGroup: number;
  supplementalGroups: number[];
} {
  const ids = firstWithUser(sourcePodSpecs);
  const runAsUser = ids?.runAsUser ?? DEFAULT_ID;
  const runAsGroup = ids?.runAsGroup ?? ids?.fsGroup ?? runAsUser;
  return {
    runAsUser,
    runAsGroup,
    supplementalGroups: ids?.fsGroup !== undefined ? [ids.fsGroup] : [],
  };
}
