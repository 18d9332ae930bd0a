import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { retryOnConflict } from '../../client/conflict';
import { resourcePath, R } from '../kube/resources';
import { isConflict, isNotFound } from '../kube/rest';
import {
  keyOf,
  nowIso,
  type Condition,
  type Node,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type Pod,
  type StorageClass,
} from '../kube/types';
import { setCondition } from '../workloads/pods';
import { ANN, claimClass, findBestMatch } from '../pvbinder/matching';
import { fitErrorMessage, unfitReason } from './node-fit';

const SCHEDULER = 'default-scheduler';

/**
 * kube-scheduler, reduced to what one small cluster needs: it filters Ready nodes (selector, affinity,
 * taints, volume node affinity), checks the pod's claims as the VolumeBinding plugin does (immediate
 * claims must be bound; WaitForFirstConsumer claims get a static PV or selected-node for provisioning, and
 * the pod is bound once they are bound), then binds the pod through pods/binding.
 */
export function startScheduler(ctx: ControllerContext): Stoppable {
  const { rest } = ctx;
  const events = ctx.recorder(SCHEDULER);
  const pods = ctx.informers.get<Pod>(R.pods);
  const nodes = ctx.informers.get<Node>(R.nodes);
  const pvcs = ctx.informers.get<PersistentVolumeClaim>(
    R.persistentvolumeclaims,
  );
  const pvs = ctx.informers.get<PersistentVolume>(R.persistentvolumes);
  const classes = ctx.informers.get<StorageClass>(R.storageclasses);
  /** node picked for a pod whose delayed claims are still being bound (the scheduler's assume cache) */
  const assumed = new Map<string, string>();

  const podObj = (p: Pod) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: p.metadata,
  });
  const isOurs = (p: Pod) => (p.spec?.schedulerName ?? SCHEDULER) === SCHEDULER;
  const needsScheduling = (p: Pod) =>
    !p.spec?.nodeName &&
    !p.metadata?.deletionTimestamp &&
    p.status?.phase !== 'Succeeded' &&
    p.status?.phase !== 'Failed' &&
    isOurs(p);

  async function markUnschedulable(pod: Pod, message: string): Promise<void> {
    const cur = pod.status?.conditions?.find(c => c.type === 'PodScheduled');
    if (
      cur?.status === 'False' &&
      cur.reason === 'Unschedulable' &&
      cur.message === message
    )
      return;
    events.record(podObj(pod), 'Warning', 'FailedScheduling', message);
    await retryOnConflict(async () => {
      const live = await rest.get<Pod>(
        R.pods,
        pod.metadata?.namespace,
        pod.metadata?.name as string,
      );
      if (live.spec?.nodeName) return live;
      const conditions = setCondition<Condition>(
        live.status?.conditions,
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message,
        },
        nowIso(),
      );
      return rest.updateStatus(R.pods, {
        ...live,
        status: {
          ...live.status,
          phase: live.status?.phase ?? 'Pending',
          conditions,
        },
      });
    });
  }

  async function schedule(key: string): Promise<number | undefined> {
    const pod = pods.get(key);
    if (!pod || !needsScheduling(pod)) {
      assumed.delete(key);
      return undefined;
    }
    const ns = pod.metadata?.namespace as string;
    // A gated pod waits, unscheduled, until its creator removes the gates (pod scheduling readiness).
    if (pod.spec?.schedulingGates?.length) return undefined;
    const claims: PersistentVolumeClaim[] = [];
    for (const v of pod.spec?.volumes ?? []) {
      const claimName = v.persistentVolumeClaim?.claimName;
      if (!claimName) continue;
      const pvc = pvcs.getByName(ns, claimName);
      if (!pvc)
        return markUnschedulable(
          pod,
          `0/${nodes.list().length} nodes are available: persistentvolumeclaim "${claimName}" not found.`,
        ).then(() => 5000);
      if (pvc.metadata?.deletionTimestamp)
        return markUnschedulable(
          pod,
          `0/${nodes.list().length} nodes are available: persistentvolumeclaim "${claimName}" is being deleted.`,
        ).then(() => 5000);
      claims.push(pvc);
    }
    const isBound = (c: PersistentVolumeClaim) =>
      !!c.spec?.volumeName && c.status?.phase === 'Bound';
    const delayed = (c: PersistentVolumeClaim) =>
      classes.getByName(undefined, claimClass(c))?.volumeBindingMode ===
      'WaitForFirstConsumer';
    const unboundImmediate = claims.filter(c => !isBound(c) && !delayed(c));
    if (unboundImmediate.length) {
      return markUnschedulable(
        pod,
        `0/${nodes.list().length} nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/${nodes.list().length} nodes are available: ${nodes.list().length} Preemption is not helpful for scheduling.`,
      ).then(() => 5000);
    }
    const boundPvs = claims
      .filter(isBound)
      .map(c => pvs.getByName(undefined, c.spec?.volumeName as string))
      .filter((v): v is PersistentVolume => !!v);

    let nodeName = assumed.get(key);
    if (!nodeName || !nodes.getByName(undefined, nodeName)) {
      const all = nodes.list();
      const reasons: string[] = [];
      const fit = all.filter(n => {
        const why = unfitReason(pod, n, boundPvs);
        if (why) reasons.push(why);
        return !why;
      });
      if (!fit.length)
        return markUnschedulable(
          pod,
          fitErrorMessage(all.length, reasons),
        ).then(() => 5000);
      // Spread: the node running the fewest pods wins (NodeResourcesBalancedAllocation, roughly).
      const load = (n: Node) =>
        pods.list().filter(p => p.spec?.nodeName === n.metadata?.name).length;
      nodeName = fit.sort((a, b) => load(a) - load(b))[0].metadata
        ?.name as string;
      assumed.set(key, nodeName);
    }

    // WaitForFirstConsumer claims: a static volume if one fits, else ask for provisioning on this node.
    const pending = claims.filter(c => !isBound(c));
    for (const c of pending) {
      if (
        c.spec?.volumeName ||
        c.metadata?.annotations?.[ANN.selectedNode] === nodeName
      )
        continue;
      const pv = findBestMatch(c, pvs.list(), {
        delayBinding: true,
        node: nodeName,
      });
      if (pv && !pv.spec?.claimRef) {
        await retryOnConflict(async () => {
          const live = await rest.get<PersistentVolume>(
            R.persistentvolumes,
            undefined,
            pv.metadata?.name as string,
          );
          if (live.spec?.claimRef) return live;
          const annotations = {
            ...live.metadata?.annotations,
            [ANN.boundByController]: 'yes',
          };
          const claimRef = {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            namespace: ns,
            name: c.metadata?.name,
            uid: c.metadata?.uid,
            resourceVersion: c.metadata?.resourceVersion,
          };
          return rest.update(R.persistentvolumes, {
            ...live,
            metadata: { ...live.metadata, annotations },
            spec: { ...live.spec, claimRef },
          });
        });
      } else if (!pv) {
        // Without a provisioner nothing will ever appear: the pod cannot go anywhere (VolumeBinding filter).
        const sc = classes.getByName(undefined, claimClass(c));
        if (!sc || sc.provisioner === 'kubernetes.io/no-provisioner') {
          assumed.delete(key);
          return markUnschedulable(
            pod,
            `0/${nodes.list().length} nodes are available: ${nodes.list().length} node(s) didn't find available persistent volumes to bind.`,
          ).then(() => 5000);
        }
        await retryOnConflict(async () => {
          const live = await rest.get<PersistentVolumeClaim>(
            R.persistentvolumeclaims,
            ns,
            c.metadata?.name as string,
          );
          const annotations = {
            ...live.metadata?.annotations,
            [ANN.selectedNode]: nodeName as string,
          };
          return rest.update(R.persistentvolumeclaims, {
            ...live,
            metadata: { ...live.metadata, annotations },
          });
        });
      }
    }
    if (pending.length) return 10_000; // claim updates requeue the pod sooner (see handlers)

    try {
      await rest.request(
        'POST',
        resourcePath(R.pods, ns, pod.metadata?.name as string, 'binding'),
        {
          body: {
            apiVersion: 'v1',
            kind: 'Binding',
            metadata: {
              name: pod.metadata?.name,
              namespace: ns,
              uid: pod.metadata?.uid,
            },
            target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
          },
        },
      );
    } catch (e) {
      // Already bound by someone else, or gone: nothing left to do for this pod.
      if (isConflict(e) || isNotFound(e)) return undefined;
      throw e;
    }
    assumed.delete(key);
    events.record(
      podObj(pod),
      'Normal',
      'Scheduled',
      `Successfully assigned ${ns}/${pod.metadata?.name} to ${nodeName}`,
    );
    return undefined;
  }

  const queue = ctx.queue('scheduler', schedule);
  const pendingPods = () => pods.list().filter(needsScheduling);
  pods.addHandlers({
    add: p => needsScheduling(p) && queue.add(keyOf(p)),
    update: (_, p) => needsScheduling(p) && queue.add(keyOf(p)),
    delete: p => assumed.delete(keyOf(p)),
  });
  // Cluster events that can make an unschedulable pod schedulable move it back to the active queue.
  const wakeAll = () => pendingPods().forEach(p => queue.add(keyOf(p)));
  nodes.addHandlers({ add: wakeAll, update: (a, b) => a !== b && wakeAll() });
  const wakeClaimUsers = (c: PersistentVolumeClaim) =>
    pendingPods()
      .filter(
        p =>
          p.metadata?.namespace === c.metadata?.namespace &&
          p.spec?.volumes?.some(
            v => v.persistentVolumeClaim?.claimName === c.metadata?.name,
          ),
      )
      .forEach(p => queue.add(keyOf(p)));
  pvcs.addHandlers({
    add: wakeClaimUsers,
    update: (_, c) => wakeClaimUsers(c),
  });
  classes.addHandlers({ add: wakeAll });
  pvs.addHandlers({ add: wakeAll });
  return { stop: async () => undefined };
}
