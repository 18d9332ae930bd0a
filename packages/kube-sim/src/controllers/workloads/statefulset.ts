import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { retryOnConflict } from '../../client/conflict';
import { R } from '../kube/resources';
import { isAlreadyExists, isNotFound } from '../kube/rest';
import {
  keyOf,
  type PersistentVolumeClaim,
  type Pod,
  type StatefulSet,
} from '../kube/types';
import { claimName, ordinalOf, podName } from './ordinals';
import {
  controllerOf,
  controllerRefTo,
  isPodAvailable,
  isPodReady,
  podFromTemplate,
} from './pods';
import { templateHash } from './template-hash';
import { claimObjects } from './ref-manager';

const COMPONENT = 'statefulset-controller';
const REVISION_LABEL = 'controller-revision-hash';

/**
 * The StatefulSet controller: pods `<set>-<ordinal>` with stable names, created in order (OrderedReady: the
 * next only when the previous are Running and Ready) or all at once (Parallel), removed from the highest
 * ordinal; one claim per volumeClaimTemplate and ordinal, created before its pod and kept on scale-down;
 * a template change replaces pods from the highest ordinal down (RollingUpdate).
 */
export function startStatefulSetController(ctx: ControllerContext): Stoppable {
  const { rest } = ctx;
  const events = ctx.recorder(COMPONENT);
  const sets = ctx.informers.get<StatefulSet>(R.statefulsets);
  const pods = ctx.informers.get<Pod>(R.pods);
  const pvcs = ctx.informers.get<PersistentVolumeClaim>(
    R.persistentvolumeclaims,
  );

  const setName = (s: StatefulSet) => s.metadata?.name as string;
  const ssObj = (s: StatefulSet) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: s.metadata,
  });
  const revisionOf = (s: StatefulSet) =>
    `${s.metadata?.name}-${templateHash(s.spec?.template)}`;
  const isRunningReady = (p: Pod) =>
    p.status?.phase === 'Running' &&
    isPodReady(p) &&
    !p.metadata?.deletionTimestamp;

  async function ensureClaims(
    s: StatefulSet,
    ordinal: number,
    pod: string,
  ): Promise<void> {
    const ns = s.metadata?.namespace as string;
    for (const tpl of s.spec?.volumeClaimTemplates ?? []) {
      const name = claimName(
        tpl.metadata?.name as string,
        s.metadata?.name as string,
        ordinal,
      );
      if (pvcs.getByName(ns, name)) continue;
      // persistentVolumeClaimRetentionPolicy.whenDeleted=Delete: the set owns its claims, so the garbage
      // collector removes them with it (the default, Retain, keeps them).
      const ownedBySet =
        s.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
      const claim: PersistentVolumeClaim = {
        metadata: {
          name,
          namespace: ns,
          labels: { ...s.spec?.selector?.matchLabels, ...tpl.metadata?.labels },
          annotations: tpl.metadata?.annotations,
          ...(ownedBySet
            ? {
                ownerReferences: [
                  {
                    apiVersion: 'apps/v1',
                    kind: 'StatefulSet',
                    name: setName(s),
                    uid: s.metadata?.uid as string,
                    blockOwnerDeletion: true,
                  },
                ],
              }
            : {}),
        },
        spec: structuredClone(tpl.spec),
      };
      try {
        await rest.create(R.persistentvolumeclaims, ns, claim);
        events.record(
          ssObj(s),
          'Normal',
          'SuccessfulCreate',
          `create Claim ${name} Pod ${pod} in StatefulSet ${s.metadata?.name} success`,
        );
      } catch (e) {
        if (!isAlreadyExists(e)) {
          events.record(
            ssObj(s),
            'Warning',
            'FailedCreate',
            `create Claim ${name} for Pod ${pod} in StatefulSet ${s.metadata?.name} failed error: ${(e as Error).message}`,
          );
          throw e;
        }
      }
    }
  }

  function buildPod(s: StatefulSet, ordinal: number): Pod {
    const ns = s.metadata?.namespace as string;
    const name = podName(s.metadata?.name as string, ordinal);
    const pod = podFromTemplate(
      s.spec?.template,
      controllerRefTo(s, 'apps/v1', 'StatefulSet'),
      ns,
      { name },
      {
        [REVISION_LABEL]: revisionOf(s),
        'statefulset.kubernetes.io/pod-name': name,
        'apps.kubernetes.io/pod-index': String(ordinal),
      },
    );
    const spec = pod.spec as NonNullable<Pod['spec']>;
    spec.hostname = name;
    if (s.spec?.serviceName) spec.subdomain = s.spec.serviceName;
    const claimVolumes = (s.spec?.volumeClaimTemplates ?? []).map(t => ({
      name: t.metadata?.name as string,
      persistentVolumeClaim: {
        claimName: claimName(
          t.metadata?.name as string,
          s.metadata?.name as string,
          ordinal,
        ),
      },
    }));
    const names = new Set(claimVolumes.map(v => v.name));
    spec.volumes = [
      ...(spec.volumes ?? []).filter(v => !names.has(v.name)),
      ...claimVolumes,
    ];
    return pod;
  }

  async function deletePod(s: StatefulSet, p: Pod): Promise<void> {
    try {
      await rest.delete(
        R.pods,
        p.metadata?.namespace,
        p.metadata?.name as string,
        { uid: p.metadata?.uid },
      );
      events.record(
        ssObj(s),
        'Normal',
        'SuccessfulDelete',
        `delete Pod ${p.metadata?.name} in StatefulSet ${s.metadata?.name} successful`,
      );
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async function sync(key: string): Promise<void> {
    const s = sets.get(key);
    if (!s || s.metadata?.deletionTimestamp) return;
    const ns = s.metadata?.namespace as string;
    const stsName = s.metadata?.name as string;
    const replicas = s.spec?.replicas ?? 1;
    const parallel = s.spec?.podManagementPolicy === 'Parallel';
    const revision = revisionOf(s);
    const owned = new Map<number, Pod>();
    for (const p of await claimObjects(
      ctx,
      R.pods,
      s,
      controllerRefTo(s, 'apps/v1', 'StatefulSet'),
      s.spec?.selector,
      pods.list(ns),
    )) {
      const ord = ordinalOf(stsName, p.metadata?.name as string);
      if (ord !== undefined) owned.set(ord, p);
    }

    // Scale up / replace failed pods, in ordinal order.
    for (let i = 0; i < replicas; i++) {
      const p = owned.get(i);
      if (
        p &&
        (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') &&
        !p.metadata?.deletionTimestamp
      ) {
        await deletePod(s, p);
        if (!parallel) break;
        continue;
      }
      if (!p) {
        const name = podName(stsName, i);
        await ensureClaims(s, i, name);
        try {
          await rest.create(R.pods, ns, buildPod(s, i));
          events.record(
            ssObj(s),
            'Normal',
            'SuccessfulCreate',
            `create Pod ${name} in StatefulSet ${stsName} successful`,
          );
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
        }
        if (!parallel) break;
        continue;
      }
      // OrderedReady: wait for this pod before touching the next one.
      if (!parallel && !isRunningReady(p)) break;
    }

    // Scale down from the highest ordinal; OrderedReady removes one at a time, once the rest are healthy.
    const surplus = [...owned.entries()]
      .filter(([i]) => i >= replicas)
      .sort(([a], [b]) => b - a);
    const belowHealthy = [...owned.entries()]
      .filter(([i]) => i < replicas)
      .every(([, p]) => isRunningReady(p));
    for (const [, p] of surplus) {
      if (p.metadata?.deletionTimestamp) {
        if (!parallel) break;
        continue;
      }
      if (!parallel && !belowHealthy) break;
      await deletePod(s, p);
      if (!parallel) break;
    }

    // RollingUpdate: replace the highest outdated pod, one at a time, when every pod is Running and Ready.
    const strategy = s.spec?.updateStrategy?.type ?? 'RollingUpdate';
    const partition = s.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    if (strategy === 'RollingUpdate' && surplus.length === 0) {
      const current = [...owned.entries()].filter(([i]) => i < replicas);
      const allReady =
        current.length === replicas &&
        current.every(([, p]) => isRunningReady(p));
      const outdated = current
        .filter(
          ([i, p]) =>
            i >= partition && p.metadata?.labels?.[REVISION_LABEL] !== revision,
        )
        .sort(([a], [b]) => b - a);
      if (allReady && outdated.length) await deletePod(s, outdated[0][1]);
    }
    await syncStatus(s, [...owned.values()], revision);
  }

  async function syncStatus(
    s: StatefulSet,
    owned: Pod[],
    revision: string,
  ): Promise<void> {
    const live = owned.filter(p => !p.metadata?.deletionTimestamp);
    const minReady = s.spec?.minReadySeconds ?? 0;
    const updated = live.filter(
      p => p.metadata?.labels?.[REVISION_LABEL] === revision,
    ).length;
    const status = {
      observedGeneration: s.metadata?.generation,
      replicas: live.length,
      readyReplicas: live.filter(isPodReady).length,
      availableReplicas: live.filter(p => isPodAvailable(p, minReady)).length,
      currentReplicas: updated,
      updatedReplicas: updated,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: s.status?.collisionCount ?? 0,
    };
    const cur = s.status ?? { replicas: 0 };
    if (
      (Object.keys(status) as Array<keyof typeof status>).every(
        k => (cur[k] ?? 0) === (status[k] ?? 0),
      )
    )
      return;
    await retryOnConflict(async () => {
      const fresh = await rest.get<StatefulSet>(
        R.statefulsets,
        s.metadata?.namespace,
        s.metadata?.name as string,
      );
      return rest.updateStatus(R.statefulsets, {
        ...fresh,
        status: { ...fresh.status, ...status },
      });
    });
  }

  const queue = ctx.queue('statefulset', sync);
  const owner = (p: Pod) => {
    const ref = controllerOf(p);
    if (ref?.kind === 'StatefulSet')
      queue.add(`${p.metadata?.namespace}/${ref.name}`);
  };
  sets.addHandlers({
    add: s => queue.add(keyOf(s)),
    update: (_, s) => queue.add(keyOf(s)),
  });
  pods.addHandlers({ add: owner, update: (_, p) => owner(p), delete: owner });
  return { stop: async () => undefined };
}
