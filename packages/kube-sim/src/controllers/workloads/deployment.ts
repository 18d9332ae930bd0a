import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { retryOnConflict } from '../../client/conflict';
import { R } from '../kube/resources';
import { isAlreadyExists } from '../kube/rest';
import {
  keyOf,
  nowIso,
  type Condition,
  type Deployment,
  type Pod,
  type ReplicaSet,
} from '../kube/types';
import { controllerOf, controllerRefTo, setCondition } from './pods';
import { claimObjects } from './ref-manager';
import { deadlineIn, madeProgress, progressingCondition } from './progress';
import {
  newRsReplicas,
  oldScaleDownBudget,
  surgeAndUnavailable,
} from './rollout';
import {
  POD_TEMPLATE_HASH,
  templateHash,
  withoutHashLabel,
} from './template-hash';

const COMPONENT = 'deployment-controller';
const REVISION = 'deployment.kubernetes.io/revision';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';

/**
 * Annotations the real controller keeps to itself when it copies a Deployment's annotations onto its new
 * ReplicaSet (deploymentutil.copyDeploymentAnnotationsToReplicaSet); all others are copied over, and an
 * annotation later removed from the Deployment stays on the ReplicaSet.
 */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  DESIRED,
  MAX,
  'deprecated.deployment.rollback.to',
]);

function copiedAnnotations(
  d: Deployment,
  onRs: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const out = { ...onRs };
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (NOT_COPIED.has(k) || out[k] === v) continue;
    out[k] = v;
    changed = true;
  }
  return changed ? out : undefined;
}

const revisionOf = (o: {
  metadata?: { annotations?: Record<string, string> };
}) => Number(o.metadata?.annotations?.[REVISION] ?? 0) || 0;

/** The Deployment controller: one ReplicaSet per template, rolled by RollingUpdate or Recreate. */
export function startDeploymentController(ctx: ControllerContext): Stoppable {
  const { rest } = ctx;
  const events = ctx.recorder(COMPONENT);
  const deployments = ctx.informers.get<Deployment>(R.deployments);
  const sets = ctx.informers.get<ReplicaSet>(R.replicasets);
  const pods = ctx.informers.get<Pod>(R.pods);

  const dObj = (d: Deployment) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: d.metadata,
  });

  async function scale(
    d: Deployment,
    rs: ReplicaSet,
    to: number,
    maxReplicas: number,
  ): Promise<void> {
    const from = rs.spec?.replicas ?? 0;
    const desired = String(d.spec?.replicas ?? 1);
    if (from === to && rs.metadata?.annotations?.[DESIRED] === desired) return;
    await retryOnConflict(async () => {
      const live = await rest.get<ReplicaSet>(
        R.replicasets,
        rs.metadata?.namespace,
        rs.metadata?.name as string,
      );
      const annotations = {
        ...live.metadata?.annotations,
        [DESIRED]: desired,
        [MAX]: String(maxReplicas),
      };
      return rest.update(R.replicasets, {
        ...live,
        metadata: { ...live.metadata, annotations },
        spec: { ...live.spec, replicas: to },
      });
    });
    if (from !== to) {
      const dir = to > from ? 'up' : 'down';
      events.record(
        dObj(d),
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${dir} replica set ${rs.metadata?.name} to ${to} from ${from}`,
      );
    }
  }

  async function createNewRs(
    d: Deployment,
    replicas: number,
    revision: number,
    maxReplicas: number,
  ): Promise<ReplicaSet> {
    const ns = d.metadata?.namespace as string;
    const hash = templateHash(d.spec?.template, d.status?.collisionCount);
    const template = structuredClone(d.spec?.template) ?? {};
    template.metadata = {
      ...template.metadata,
      labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH]: hash },
    };
    const selector = structuredClone(d.spec?.selector) ?? {};
    selector.matchLabels = {
      ...selector.matchLabels,
      [POD_TEMPLATE_HASH]: hash,
    };
    const rs: ReplicaSet = {
      metadata: {
        name: `${d.metadata?.name}-${hash}`,
        namespace: ns,
        labels: {
          ...d.spec?.template?.metadata?.labels,
          [POD_TEMPLATE_HASH]: hash,
        },
        annotations: {
          ...copiedAnnotations(d, {}),
          [REVISION]: String(revision),
          [DESIRED]: String(d.spec?.replicas ?? 1),
          [MAX]: String(maxReplicas),
        },
        ownerReferences: [controllerRefTo(d, 'apps/v1', 'Deployment')],
      },
      spec: {
        replicas,
        minReadySeconds: d.spec?.minReadySeconds,
        selector,
        template,
      },
    };
    try {
      const created = await rest.create(R.replicasets, ns, rs);
      if (replicas > 0)
        events.record(
          dObj(d),
          'Normal',
          'ScalingReplicaSet',
          `Scaled up replica set ${created.metadata?.name} to ${replicas}`,
        );
      return created;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await rest.get<ReplicaSet>(
        R.replicasets,
        ns,
        rs.metadata?.name as string,
      );
      if (
        controllerOf(existing)?.uid === d.metadata?.uid &&
        templateHash(withoutHashLabel(existing.spec?.template)) ===
          templateHash(d.spec?.template)
      )
        return existing;
      // A hash collision with a foreign set: bump collisionCount so the next attempt gets another name.
      await retryOnConflict(async () => {
        const live = await rest.get<Deployment>(
          R.deployments,
          ns,
          d.metadata?.name as string,
        );
        return rest.updateStatus(R.deployments, {
          ...live,
          status: {
            ...live.status,
            collisionCount: (live.status?.collisionCount ?? 0) + 1,
          },
        });
      });
      throw e;
    }
  }

  async function sync(key: string): Promise<number | undefined> {
    const d = deployments.get(key);
    if (!d || d.metadata?.deletionTimestamp) return undefined;
    const ns = d.metadata?.namespace as string;
    const desired = d.spec?.replicas ?? 1;
    const owned = await claimObjects(
      ctx,
      R.replicasets,
      d,
      controllerRefTo(d, 'apps/v1', 'Deployment'),
      d.spec?.selector,
      sets.list(ns),
    );
    const want = templateHash(d.spec?.template);
    let newRs = owned.find(
      rs => templateHash(withoutHashLabel(rs.spec?.template)) === want,
    );
    const old = owned
      .filter(rs => rs !== newRs)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    const maxOldRevision = old.reduce(
      (m, rs) => Math.max(m, revisionOf(rs)),
      0,
    );
    const recreate = d.spec?.strategy?.type === 'Recreate';
    const { surge, unavailable } = recreate
      ? { surge: 0, unavailable: 0 }
      : surgeAndUnavailable(
          desired,
          d.spec?.strategy?.rollingUpdate?.maxSurge,
          d.spec?.strategy?.rollingUpdate?.maxUnavailable,
        );
    const counts = (rs: ReplicaSet) => ({
      replicas: rs.spec?.replicas ?? 0,
      available: rs.status?.availableReplicas ?? 0,
    });
    let created = false;

    if (!d.spec?.paused) {
      // Terminating pods still run: Recreate must wait until they are really gone (oldPodsRunning upstream).
      const oldPodsRunning = () =>
        pods
          .list(ns)
          .some(
            p =>
              p.status?.phase !== 'Failed' &&
              p.status?.phase !== 'Succeeded' &&
              old.some(rs => controllerOf(p)?.uid === rs.metadata?.uid),
          );
      if (!newRs) {
        let initial: number;
        if (!recreate)
          initial = newRsReplicas(
            desired,
            surge,
            { replicas: 0, available: 0 },
            old.map(counts),
          );
        else if (
          old.some(rs => (rs.spec?.replicas ?? 0) > 0) ||
          oldPodsRunning()
        )
          initial = 0;
        else initial = desired;
        newRs = await createNewRs(
          d,
          initial,
          maxOldRevision + 1,
          desired + surge,
        );
        created = true;
      } else if (revisionOf(newRs) <= maxOldRevision) {
        // An old template came back (rollback): its set becomes the newest revision again.
        const target = newRs;
        newRs = await retryOnConflict(async () => {
          const live = await rest.get<ReplicaSet>(
            R.replicasets,
            ns,
            target.metadata?.name as string,
          );
          return rest.update(R.replicasets, {
            ...live,
            metadata: {
              ...live.metadata,
              annotations: {
                ...live.metadata?.annotations,
                [REVISION]: String(maxOldRevision + 1),
              },
            },
          });
        });
      }
      if (
        !created &&
        newRs &&
        copiedAnnotations(d, newRs.metadata?.annotations)
      ) {
        const target = newRs;
        newRs = await retryOnConflict(async () => {
          const live = await rest.get<ReplicaSet>(
            R.replicasets,
            ns,
            target.metadata?.name as string,
          );
          const annotations = copiedAnnotations(d, live.metadata?.annotations);
          if (!annotations) return live;
          return rest.update(R.replicasets, {
            ...live,
            metadata: { ...live.metadata, annotations },
          });
        });
      }
      const rs = newRs as ReplicaSet;
      if (recreate) {
        for (const o of old)
          if ((o.spec?.replicas ?? 0) > 0) await scale(d, o, 0, desired);
        if (!oldPodsRunning()) await scale(d, rs, desired, desired);
      } else {
        const target = newRsReplicas(desired, surge, counts(rs), [
          counts(rs),
          ...old.map(counts),
        ]);
        await scale(d, rs, target, desired + surge);
        const budget = oldScaleDownBudget(
          desired,
          unavailable,
          { replicas: target, available: rs.status?.availableReplicas ?? 0 },
          old.map(counts),
        );
        let unhealthy = budget.unhealthy;
        let healthy = budget.healthy;
        for (const o of old) {
          const c = counts(o);
          const drop = Math.min(
            Math.max(0, c.replicas - c.available),
            unhealthy,
          );
          unhealthy -= drop;
          const drop2 = Math.min(c.replicas - drop, healthy);
          healthy -= drop2;
          if (drop + drop2 > 0)
            await scale(d, o, c.replicas - drop - drop2, desired + surge);
        }
      }
      await cleanupHistory(d, old);
    }
    if (revisionOf(d) !== revisionOf(newRs ?? {})) {
      const rev = String(revisionOf(newRs ?? {}));
      await retryOnConflict(async () => {
        const live = await rest.get<Deployment>(
          R.deployments,
          ns,
          d.metadata?.name as string,
        );
        return rest.update(R.deployments, {
          ...live,
          metadata: {
            ...live.metadata,
            annotations: { ...live.metadata?.annotations, [REVISION]: rev },
          },
        });
      });
    }
    return syncStatus(key, newRs, unavailable, created);
  }

  async function cleanupHistory(
    d: Deployment,
    old: ReplicaSet[],
  ): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const idle = old.filter(
      rs =>
        (rs.spec?.replicas ?? 0) === 0 &&
        (rs.status?.replicas ?? 0) === 0 &&
        !rs.metadata?.deletionTimestamp,
    );
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      await rest
        .delete(
          R.replicasets,
          rs.metadata?.namespace,
          rs.metadata?.name as string,
          { uid: rs.metadata?.uid },
        )
        .catch(() => undefined);
    }
  }

  async function syncStatus(
    key: string,
    newRs: ReplicaSet | undefined,
    unavailable: number,
    created: boolean,
  ): Promise<number | undefined> {
    const d = deployments.get(key);
    if (!d) return undefined;
    const owned = sets
      .list(d.metadata?.namespace)
      .filter(rs => controllerOf(rs)?.uid === d.metadata?.uid);
    const desired = d.spec?.replicas ?? 1;
    const sum = (f: (rs: ReplicaSet) => number | undefined) =>
      owned.reduce((s, rs) => s + (f(rs) ?? 0), 0);
    const fresh = newRs
      ? (owned.find(rs => rs.metadata?.uid === newRs.metadata?.uid) ?? newRs)
      : undefined;
    const replicas = sum(rs => rs.status?.replicas);
    const available = sum(rs => rs.status?.availableReplicas);
    const updated = fresh?.status?.replicas ?? 0;
    const now = nowIso();
    let conditions = setCondition(
      d.status?.conditions,
      available >= desired - unavailable
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
      now,
    );
    const rsName = fresh?.metadata?.name;
    const complete =
      updated === desired && replicas === desired && available === desired;
    const counts = {
      replicas,
      updatedReplicas: updated,
      readyReplicas: sum(rs => rs.status?.readyReplicas),
      availableReplicas: available,
    };
    const deadlineSeconds = d.spec?.progressDeadlineSeconds ?? undefined;
    const progressing = progressingCondition({
      prior: d.status?.conditions?.find(c => c.type === 'Progressing') as
        Condition | undefined,
      rsName,
      complete,
      created,
      progressed: madeProgress(d.status ?? {}, counts),
      deadlineSeconds,
      now: Date.now(),
    });
    conditions = [
      ...conditions.filter(c => c.type !== 'Progressing'),
      progressing,
    ];
    const status = {
      ...d.status,
      observedGeneration: d.metadata?.generation,
      replicas,
      updatedReplicas: updated,
      readyReplicas: sum(rs => rs.status?.readyReplicas),
      availableReplicas: available,
      unavailableReplicas:
        Math.max(0, sum(rs => rs.spec?.replicas) - available) || undefined,
      conditions,
    };
    // A rollout that stalls must be looked at again when its deadline passes.
    const requeue = deadlineIn(progressing, deadlineSeconds, Date.now());
    if (
      JSON.stringify(stripTimes(status)) ===
      JSON.stringify(stripTimes(d.status ?? {}))
    )
      return requeue;
    await retryOnConflict(async () => {
      const live = await rest.get<Deployment>(
        R.deployments,
        d.metadata?.namespace,
        d.metadata?.name as string,
      );
      return rest.updateStatus(R.deployments, {
        ...live,
        status: { ...status, collisionCount: live.status?.collisionCount },
      });
    });
    return requeue;
  }

  const queue = ctx.queue('deployment', sync);
  const ownerOfRs = (rs: ReplicaSet) => {
    const ref = controllerOf(rs);
    if (ref?.kind === 'Deployment')
      queue.add(`${rs.metadata?.namespace}/${ref.name}`);
  };
  deployments.addHandlers({
    add: o => queue.add(keyOf(o)),
    update: (_, o) => queue.add(keyOf(o)),
  });
  sets.addHandlers({
    add: ownerOfRs,
    update: (_, o) => ownerOfRs(o),
    delete: ownerOfRs,
  });
  // Recreate waits for the old pods to be gone: their deletion must wake the Deployment up.
  pods.addHandlers({
    delete: p => {
      const ref = controllerOf(p);
      const rs =
        ref?.kind === 'ReplicaSet'
          ? sets.getByName(p.metadata?.namespace, ref.name)
          : undefined;
      if (rs) ownerOfRs(rs);
    },
  });
  return { stop: async () => undefined };
}

function stripTimes(
  status: { conditions?: Array<Record<string, unknown>> } & Record<
    string,
    unknown
  >,
): unknown {
  return {
    ...status,
    conditions: status.conditions?.map(c => ({
      ...c,
      lastTransitionTime: undefined,
      lastUpdateTime: undefined,
    })),
  };
}
