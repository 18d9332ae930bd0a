import { V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import {
  resolveTransferable,
  Volume,
  VolumeWorkloadRef,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { claimsOfPodSpec, isStatefulSetClaim } from './podClaims';
import {
  controllerRef,
  LabelledKeys,
  NamespaceSnapshot,
  objectKey,
  WorkloadObject,
  workloadKey,
} from './snapshot';

type ChainLink = VolumeWorkloadRef & { key: string };

function toRef(w: WorkloadObject): ChainLink {
  return {
    apiVersion: w.apiVersion,
    kind: w.kind,
    name: w.metadata.name ?? '',
    ...(w.replicas !== undefined ? { replicas: w.replicas } : {}),
    key: workloadKey(w.kind, w.metadata.namespace, w.metadata.name),
  };
}

/** Follows controller ownerReferences upwards: pod → ReplicaSet → Deployment, pod → Job → CronJob, ... */
function ownerChain(
  pod: V1Pod,
  byUid: Map<string, WorkloadObject>,
): ChainLink[] {
  const chain: ChainLink[] = [];
  const seen = new Set<string>();
  let ref = controllerRef(pod.metadata);
  while (ref && !seen.has(ref.uid)) {
    seen.add(ref.uid);
    const owner = byUid.get(ref.uid);
    if (!owner) {
      // An owner kind we do not list (e.g. an operator's custom resource) still names the workload.
      chain.push({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        name: ref.name,
        key: workloadKey(ref.kind, pod.metadata?.namespace, ref.name),
      });
      break;
    }
    chain.push(toRef(owner));
    ref = controllerRef(owner.metadata);
  }
  return chain;
}

/** Whether a workload (not managed by another one) would mount the claim from its template. */
function templateUses(w: WorkloadObject, claim: string): boolean {
  if (controllerRef(w.metadata)) return false;
  const name = w.metadata.name ?? '';
  return (
    claimsOfPodSpec(w.podSpec).includes(claim) ||
    (w.claimTemplates ?? []).some(t => isStatefulSetClaim(claim, t, name))
  );
}

function timestamp(value: Date | string | undefined): string | undefined {
  if (!value) return undefined;
  return value instanceof Date ? value.toISOString() : String(value);
}

function toVolume(
  cluster: string,
  pvc: V1PersistentVolumeClaim,
  snapshot: NamespaceSnapshot,
  pods: V1Pod[],
  workloads: VolumeWorkloadRef[],
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
    usedBy: {
      pods: pods.map(p => ({
        name: p.metadata?.name ?? '',
        phase: p.status?.phase,
        nodeName: p.spec?.nodeName,
      })),
      workloads,
    },
    transferable: resolveTransferable(
      pvc.metadata?.annotations,
      snapshot.namespaceAnnotations,
    ),
  };
}

/**
 * The entity's PVCs in one namespace: claims carrying the entity's labels, claims mounted by its labelled
 * pods, claims in the templates of its labelled workloads (also while scaled to zero), StatefulSet claims
 * from volumeClaimTemplates, and claims of pods whose owners carry the labels. Each comes with every pod
 * and workload using it, whoever owns them, since all of them must stop before the data moves.
 */
export function collectNamespaceVolumes(
  cluster: string,
  snapshot: NamespaceSnapshot,
  labelled: LabelledKeys,
): Volume[] {
  const ns = snapshot.namespace;
  const byUid = new Map<string, WorkloadObject>();
  for (const w of snapshot.workloads)
    if (w.metadata.uid) byUid.set(w.metadata.uid, w);

  const chains = new Map<V1Pod, ChainLink[]>(
    snapshot.pods.map(p => [p, ownerChain(p, byUid)]),
  );
  const podClaims = new Map<V1Pod, string[]>(
    snapshot.pods.map(p => [p, claimsOfPodSpec(p.spec, p.metadata?.name)]),
  );

  const claims = new Set<string>();
  for (const pvc of snapshot.pvcs) {
    if (labelled.pvcs.has(objectKey(ns, pvc.metadata?.name)))
      claims.add(pvc.metadata?.name ?? '');
  }
  for (const pod of snapshot.pods) {
    const ownedByEntity =
      labelled.pods.has(objectKey(ns, pod.metadata?.name)) ||
      chains.get(pod)!.some(link => labelled.workloads.has(link.key));
    if (ownedByEntity) podClaims.get(pod)!.forEach(c => claims.add(c));
  }
  for (const w of snapshot.workloads) {
    if (!labelled.workloads.has(workloadKey(w.kind, ns, w.metadata.name)))
      continue;
    claimsOfPodSpec(w.podSpec).forEach(c => claims.add(c));
    for (const pvc of snapshot.pvcs) {
      const name = pvc.metadata?.name ?? '';
      if (
        (w.claimTemplates ?? []).some(t =>
          isStatefulSetClaim(name, t, w.metadata.name ?? ''),
        )
      ) {
        claims.add(name);
      }
    }
  }

  return snapshot.pvcs
    .filter(pvc => claims.has(pvc.metadata?.name ?? ''))
    .map(pvc => {
      const name = pvc.metadata?.name ?? '';
      const pods = snapshot.pods.filter(p => podClaims.get(p)!.includes(name));
      const workloads = new Map<string, VolumeWorkloadRef>();
      for (const pod of pods) {
        const top = chains.get(pod)!.at(-1);
        if (top) {
          const { key, ...ref } = top;
          workloads.set(key, ref);
        }
      }
      for (const w of snapshot.workloads) {
        if (templateUses(w, name)) {
          const { key, ...ref } = toRef(w);
          workloads.set(key, ref);
        }
      }
      return toVolume(cluster, pvc, snapshot, pods, [...workloads.values()]);
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
