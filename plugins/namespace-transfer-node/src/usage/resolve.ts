import type { V1Pod } from '@kubernetes/client-node';
import type { WorkloadRef } from '@namespace-transfer/plugin-namespace-transfer-common';
import { QUIESCED_BY } from '../quiesce/annotations';
import {
  claimsOfPodSpec,
  controllerRef,
  isFinished,
  isStatefulSetClaim,
  type ControllerObject,
  type NamespaceSnapshot,
} from './snapshot';

/**
 * The kinds quiesce knows how to stop and give back.
 *
 * @public
 */
export const STOPPABLE_KINDS = new Set<string>([
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'DaemonSet',
  'CronJob',
  'DeploymentConfig',
]);

/**
 * A controller quiesce stops so that nothing uses the claim, with the pod template it runs.
 *
 * @public
 */
export interface ClaimWorkload {
  ref: WorkloadRef;
  apiVersion?: string;
  podSpec?: ControllerObject['podSpec'];
  /** the transfer whose quiesce stopped it and still holds it (its quiesced-by annotation) */
  quiescedBy?: string;
}

/**
 * Something that uses the claim and that the engine cannot stop (or could not keep stopped).
 *
 * @public
 */
export interface UnstoppableUser {
  /** of the object named (from the owner reference where it was not listed) */
  apiVersion: string;
  kind: string;
  name: string;
  /** its pods that mount the claim now */
  pods: string[];
  /** why it cannot be stopped, and what a person can do about it */
  reason: string;
}

/** @public */
export interface ClaimUsage {
  claim: string;
  /** pods that mount the claim and have not finished (running, pending, terminating) */
  pods: V1Pod[];
  /** finished pods (Succeeded/Failed) that still name the claim: no data use, but a rebind waits on them */
  finishedPods: V1Pod[];
  /** the top controllers to stop: everything whose pods or templates mount the claim */
  workloads: ClaimWorkload[];
  unstoppable: UnstoppableUser[];
}

interface Resolution {
  workload?: ControllerObject;
  unstoppable?: Omit<UnstoppableUser, 'pods'>;
}

const key = (kind: string, name: string | undefined) => `${kind}/${name}`;

/**
 * Who uses each claim of a namespace, from one snapshot of its pods and controllers (pure: the reads are
 * kept apart, so the backend resolves every claim of a namespace from one listing). Each pod that mounts a
 * claim is followed up its controller chain to the top: a controller the engine can stop (StatefulSet,
 * Deployment through its ReplicaSet, CronJob through its Job, DaemonSet, DeploymentConfig through its
 * ReplicationController), or something it cannot: a bare pod, a running Job of its own, a controller
 * owned by something the engine does not know (an operator's custom resource would scale it back up).
 * Controllers whose templates mount the claim count even while they run no pod: they could start one
 * in the middle of a transfer.
 *
 * @public
 */
export function resolveNamespaceClaims(
  snapshot: NamespaceSnapshot,
  extraClaims: string[] = [],
): Map<string, ClaimUsage> {
  const candidates = [...(snapshot.claims ?? []), ...extraClaims];
  const byUid = new Map<string, ControllerObject>();
  for (const c of snapshot.controllers)
    if (c.metadata.uid) byUid.set(c.metadata.uid, c);
  const usage = new Map<string, ClaimUsage>();
  const of = (claim: string) => {
    let u = usage.get(claim);
    if (!u) {
      u = { claim, pods: [], finishedPods: [], workloads: [], unstoppable: [] };
      usage.set(claim, u);
    }
    return u;
  };
  const addWorkload = (u: ClaimUsage, c: ControllerObject) => {
    if (
      u.workloads.some(
        w => w.ref.kind === c.kind && w.ref.name === c.metadata.name,
      )
    )
      return;
    u.workloads.push(toWorkload(snapshot.namespace, c));
  };
  const addUnstoppable = (
    u: ClaimUsage,
    who: Omit<UnstoppableUser, 'pods'>,
    pod?: string,
  ) => {
    let entry = u.unstoppable.find(
      x => x.kind === who.kind && x.name === who.name,
    );
    if (!entry) {
      entry = { ...who, pods: [] };
      u.unstoppable.push(entry);
    }
    if (pod && !entry.pods.includes(pod)) entry.pods.push(pod);
  };

  for (const pod of snapshot.pods) {
    const claims = claimsOfPodSpec(pod.spec, pod.metadata?.name);
    if (!claims.length) continue;
    const finished = isFinished(pod);
    const top = finished ? undefined : resolvePod(pod, byUid);
    for (const claim of claims) {
      const u = of(claim);
      if (finished) {
        u.finishedPods.push(pod);
        continue;
      }
      u.pods.push(pod);
      if (top?.workload) addWorkload(u, top.workload);
      else if (top?.unstoppable)
        addUnstoppable(u, top.unstoppable, pod.metadata?.name);
    }
  }

  for (const c of snapshot.controllers) {
    const owner = controllerRef(c.metadata);
    // a ReplicaSet of a Deployment, a Job of a CronJob: the controller above speaks for its template
    if (owner && byUid.has(owner.uid)) continue;
    if (c.kind === 'Job' && !c.active) continue; // a finished Job starts nothing
    const claims = templateClaims(c, candidates);
    if (!claims.length) continue;
    const top = resolveController(c, byUid);
    for (const claim of claims) {
      const u = of(claim);
      if (top.workload) addWorkload(u, top.workload);
      else if (top.unstoppable) addUnstoppable(u, top.unstoppable);
    }
  }
  for (const u of usage.values())
    u.workloads.sort((a, b) =>
      key(a.ref.kind, a.ref.name).localeCompare(key(b.ref.kind, b.ref.name)),
    );
  return usage;
}

/**
 * The users of one claim (see resolveNamespaceClaims).
 *
 * @public
 */
export function resolveClaimUsage(
  snapshot: NamespaceSnapshot,
  claim: string,
): ClaimUsage {
  return (
    resolveNamespaceClaims(snapshot, [claim]).get(claim) ?? {
      claim,
      pods: [],
      finishedPods: [],
      workloads: [],
      unstoppable: [],
    }
  );
}

/** Claims a controller's pods would mount: its pod template's, and a StatefulSet's claim templates'. */
function templateClaims(c: ControllerObject, pvcNames: string[]): string[] {
  const claims = claimsOfPodSpec(c.podSpec);
  const name = c.metadata.name ?? '';
  for (const t of c.claimTemplates ?? []) {
    for (const pvc of pvcNames)
      if (isStatefulSetClaim(pvc, t, name)) claims.push(pvc);
  }
  return claims;
}

function resolvePod(
  pod: V1Pod,
  byUid: Map<string, ControllerObject>,
): Resolution {
  const ref = controllerRef(pod.metadata);
  const name = pod.metadata?.name ?? '';
  if (!ref)
    return {
      unstoppable: {
        apiVersion: 'v1',
        kind: 'Pod',
        name,
        reason:
          'a pod without a controller: nothing would start it again after the transfer; delete it, or run it under a Deployment or StatefulSet',
      },
    };
  const owner = byUid.get(ref.uid);
  if (!owner)
    return { unstoppable: unknownOwner(ref.apiVersion, ref.kind, ref.name) };
  return resolveController(owner, byUid);
}

/** Walks controller ownerReferences up from a controller to the one quiesce would stop. */
function resolveController(
  start: ControllerObject,
  byUid: Map<string, ControllerObject>,
): Resolution {
  let c = start;
  const seen = new Set<string>();
  for (;;) {
    const ref = controllerRef(c.metadata);
    if (!ref) break;
    if (seen.has(ref.uid)) break;
    seen.add(ref.uid);
    const owner = byUid.get(ref.uid);
    if (!owner)
      return {
        unstoppable: {
          ...unknownOwner(ref.apiVersion, ref.kind, ref.name),
          reason: `${c.kind} ${c.metadata.name} is controlled by ${ref.kind} ${ref.name}, which would scale it back up: stop it through its owner (e.g. the operator's own setting), then request the transfer again`,
        },
      };
    c = owner;
  }
  if (STOPPABLE_KINDS.has(c.kind)) return { workload: c };
  if (c.kind === 'Job')
    return {
      unstoppable: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        name: c.metadata.name ?? '',
        reason:
          'a Job that is still running: let it finish (or delete it), then request the transfer again',
      },
    };
  return {
    unstoppable: unknownOwner(c.apiVersion, c.kind, c.metadata.name ?? ''),
  };
}

function unknownOwner(apiVersion: string, kind: string, name: string) {
  return {
    apiVersion,
    kind,
    name,
    reason: `the engine cannot stop a ${kind} and give it back: stop it yourself (or through its operator), then request the transfer again`,
  };
}

function toWorkload(namespace: string, c: ControllerObject): ClaimWorkload {
  return {
    ref: {
      kind: c.kind as WorkloadRef['kind'],
      namespace,
      name: c.metadata.name ?? '',
      replicas: c.replicas ?? 0,
    },
    apiVersion: c.apiVersion,
    podSpec: c.podSpec,
    quiescedBy: c.metadata.annotations?.[QUIESCED_BY],
  };
}
