import { V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import {
  resolveTransferable,
  Volume,
  VolumeWorkloadRef,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  ClaimUsage,
  claimsOfPodSpec,
  ControllerObject,
  controllerRef,
  isStatefulSetClaim,
  QUIESCED_AT,
  resolveNamespaceClaims,
  TRANSFERRED_BY,
  TRANSFERRED_TO,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import {
  LabelledKeys,
  objectKey,
  VolumesSnapshot,
  workloadKey,
} from './snapshot';

/**
 * Keys of the controllers above a pod (pod → ReplicaSet → Deployment, pod → Job → CronJob, ...), up to the
 * first owner the snapshot does not list (an operator's custom resource still names its key).
 */
function ownerKeys(
  pod: V1Pod,
  namespace: string,
  byUid: Map<string, ControllerObject>,
): string[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  let ref = controllerRef(pod.metadata);
  while (ref && !seen.has(ref.uid)) {
    seen.add(ref.uid);
    keys.push(workloadKey(ref.kind, namespace, ref.name));
    ref = controllerRef(byUid.get(ref.uid)?.metadata);
  }
  return keys;
}

/**
 * Which claims belong to the entity: claims carrying its labels, claims mounted by its labelled pods or by
 * pods whose owners carry the labels, claims in the templates of its labelled workloads (also while scaled
 * to zero), and StatefulSet claims from their volumeClaimTemplates.
 */
function entityClaims(
  snapshot: VolumesSnapshot,
  labelled: LabelledKeys,
): Set<string> {
  const ns = snapshot.namespace;
  const byUid = new Map<string, ControllerObject>();
  for (const c of snapshot.controllers)
    if (c.metadata.uid) byUid.set(c.metadata.uid, c);
  const pvcNames = snapshot.pvcs.map(pvc => pvc.metadata?.name ?? '');

  const claims = new Set<string>();
  for (const name of pvcNames)
    if (labelled.pvcs.has(objectKey(ns, name))) claims.add(name);
  for (const pod of snapshot.pods) {
    const ownedByEntity =
      labelled.pods.has(objectKey(ns, pod.metadata?.name)) ||
      ownerKeys(pod, ns, byUid).some(key => labelled.workloads.has(key));
    if (ownedByEntity)
      claimsOfPodSpec(pod.spec, pod.metadata?.name).forEach(c => claims.add(c));
  }
  for (const c of snapshot.controllers) {
    const name = c.metadata.name ?? '';
    if (!labelled.workloads.has(workloadKey(c.kind, ns, name))) continue;
    claimsOfPodSpec(c.podSpec).forEach(claim => claims.add(claim));
    for (const pvc of pvcNames) {
      if ((c.claimTemplates ?? []).some(t => isStatefulSetClaim(pvc, t, name)))
        claims.add(pvc);
    }
  }
  return claims;
}

const NO_USERS: ClaimUsage = {
  claim: '',
  pods: [],
  finishedPods: [],
  workloads: [],
  unstoppable: [],
};

/**
 * Who uses a claim, as the engine's quiesce sees it: every pod that mounts it (running or finished), the
 * top controllers it would stop (with the transfer holding one stopped, and since when), and the users it
 * cannot stop, with the reason. Those are workloads too (a running Job, an operator's resource), except a
 * bare pod, which is listed among the pods.
 */
function usedBy(
  snapshot: VolumesSnapshot,
  usage: ClaimUsage,
  controllers: Map<string, ControllerObject>,
): Volume['usedBy'] {
  const mounting = new Set([...usage.pods, ...usage.finishedPods]);
  const replicas = (kind: string, name: string) => {
    const value = controllers.get(`${kind}/${name}`)?.replicas;
    return value !== undefined ? { replicas: value } : {};
  };
  const held = (kind: string, name: string, quiescedBy?: string) => {
    if (!quiescedBy) return {};
    const at = controllers.get(`${kind}/${name}`)?.metadata.annotations?.[
      QUIESCED_AT
    ];
    return { quiescedBy, ...(at ? { quiescedAt: at } : {}) };
  };
  const workloads: VolumeWorkloadRef[] = [
    ...usage.workloads.map(w => ({
      apiVersion: w.apiVersion ?? '',
      kind: w.ref.kind,
      name: w.ref.name,
      ...replicas(w.ref.kind, w.ref.name),
      ...held(w.ref.kind, w.ref.name, w.quiescedBy),
    })),
    ...usage.unstoppable
      .filter(u => u.kind !== 'Pod')
      .map(u => ({
        apiVersion: u.apiVersion,
        kind: u.kind,
        name: u.name,
        ...replicas(u.kind, u.name),
      })),
  ];
  return {
    pods: snapshot.pods
      .filter(p => mounting.has(p))
      .map(p => ({
        name: p.metadata?.name ?? '',
        phase: p.status?.phase,
        nodeName: p.spec?.nodeName,
      })),
    workloads,
    unstoppable: usage.unstoppable.map(({ kind, name, reason }) => ({
      kind,
      name,
      reason,
    })),
  };
}

function timestamp(value: Date | string | undefined): string | undefined {
  if (!value) return undefined;
  return value instanceof Date ? value.toISOString() : String(value);
}

/** Where a finished move sent the claim's data, from the annotations the move left on it. */
function transferredTo(
  pvc: V1PersistentVolumeClaim,
): Pick<Volume, 'transferredTo'> {
  const annotations = pvc.metadata?.annotations;
  const destination = annotations?.[TRANSFERRED_TO];
  if (!destination) return {};
  return {
    transferredTo: {
      destination,
      transferId: annotations?.[TRANSFERRED_BY] ?? '',
    },
  };
}

function toVolume(
  cluster: string,
  pvc: V1PersistentVolumeClaim,
  snapshot: VolumesSnapshot,
  used: Volume['usedBy'],
): Volume {
  const requested = pvc.spec?.resources?.requests?.storage;
  return {
    cluster,
    namespace: snapshot.namespace,
    name: pvc.metadata?.name ?? '',
    uid: pvc.metadata?.uid,
    capacity: pvc.status?.capacity?.storage ?? requested,
    requested,
    storageClass: pvc.spec?.storageClassName ?? undefined,
    phase: pvc.metadata?.deletionTimestamp
      ? 'Terminating'
      : (pvc.status?.phase ?? 'Pending'),
    accessModes: pvc.spec?.accessModes ?? [],
    volumeMode: pvc.spec?.volumeMode,
    volumeName: pvc.spec?.volumeName || undefined,
    createdAt: timestamp(pvc.metadata?.creationTimestamp),
    usedBy: used,
    transferable: resolveTransferable(
      pvc.metadata?.annotations,
      snapshot.namespaceAnnotations,
    ),
    ...transferredTo(pvc),
  };
}

/**
 * The entity's PVCs in one namespace (see entityClaims), each with everything that uses it, whoever owns
 * it, since all of it must stop before the data moves. Who uses which claim is the engine's answer
 * (resolveNamespaceClaims, one call for the namespace), so the portal shows what a transfer would stop.
 */
export function collectNamespaceVolumes(
  cluster: string,
  snapshot: VolumesSnapshot,
  labelled: LabelledKeys,
): Volume[] {
  const claims = entityClaims(snapshot, labelled);
  const selected = snapshot.pvcs.filter(pvc =>
    claims.has(pvc.metadata?.name ?? ''),
  );
  if (!selected.length) return [];

  const usage = resolveNamespaceClaims({
    ...snapshot,
    claims: snapshot.pvcs.map(pvc => pvc.metadata?.name ?? ''),
  });
  const controllers = new Map(
    snapshot.controllers.map(c => [`${c.kind}/${c.metadata.name}`, c]),
  );
  return selected
    .map(pvc =>
      toVolume(
        cluster,
        pvc,
        snapshot,
        usedBy(
          snapshot,
          usage.get(pvc.metadata?.name ?? '') ?? NO_USERS,
          controllers,
        ),
      ),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}
