import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { retryOnConflict } from '../../client/conflict';
import { R } from '../kube/resources';
import { isNotFound } from '../kube/rest';
import { matchesMap } from '../../lib/selectors';
import { keyOf, type DaemonSet, type Node, type Pod } from '../kube/types';
import { nodeSelectorMatches } from '../scheduler/node-fit';
import {
  controllerOf,
  controllerRefTo,
  isPodActive,
  isPodAvailable,
  isPodReady,
  podFromTemplate,
} from './pods';
import { templateHash } from './template-hash';
import { claimObjects } from './ref-manager';

const COMPONENT = 'daemonset-controller';
const REVISION_LABEL = 'controller-revision-hash';

/**
 * The DaemonSet controller: one pod per eligible Node, pinned to it by a required node affinity on
 * metadata.name (the default scheduler then binds it, as upstream since 1.12); surplus and outdated pods
 * are deleted (RollingUpdate with maxUnavailable 1).
 */
export function startDaemonSetController(ctx: ControllerContext): Stoppable {
  const { rest } = ctx;
  const events = ctx.recorder(COMPONENT);
  const sets = ctx.informers.get<DaemonSet>(R.daemonsets);
  const pods = ctx.informers.get<Pod>(R.pods);
  const nodes = ctx.informers.get<Node>(R.nodes);
  const dsObj = (d: DaemonSet) => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: d.metadata,
  });

  const eligible = (d: DaemonSet, n: Node) =>
    matchesMap(d.spec?.template?.spec?.nodeSelector, n.metadata?.labels) &&
    nodeSelectorMatches(
      d.spec?.template?.spec?.affinity?.nodeAffinity
        ?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
      n,
    );

  const nodeOfPod = (p: Pod) =>
    p.spec?.nodeName ??
    p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.find(
      f => f.key === 'metadata.name',
    )?.values?.[0];

  function buildPod(d: DaemonSet, node: string, revision: string): Pod {
    const ns = d.metadata?.namespace as string;
    const pod = podFromTemplate(
      d.spec?.template,
      controllerRefTo(d, 'apps/v1', 'DaemonSet'),
      ns,
      { generateName: `${d.metadata?.name}-` },
      { [REVISION_LABEL]: revision },
    );
    const spec = pod.spec as NonNullable<Pod['spec']>;
    spec.affinity = {
      ...spec.affinity,
      nodeAffinity: {
        ...spec.affinity?.nodeAffinity,
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchFields: [
                { key: 'metadata.name', operator: 'In', values: [node] },
              ],
            },
          ],
        },
      },
    };
    // Daemons tolerate the node conditions that would otherwise keep them off a struggling node.
    spec.tolerations = [
      ...(spec.tolerations ?? []),
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
      },
      {
        key: 'node.kubernetes.io/unschedulable',
        operator: 'Exists',
        effect: 'NoSchedule',
      },
    ];
    return pod;
  }

  async function remove(d: DaemonSet, p: Pod): Promise<void> {
    try {
      await rest.delete(
        R.pods,
        p.metadata?.namespace,
        p.metadata?.name as string,
        { uid: p.metadata?.uid },
      );
      events.record(
        dsObj(d),
        'Normal',
        'SuccessfulDelete',
        `Deleted pod: ${p.metadata?.name}`,
      );
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async function sync(key: string): Promise<void> {
    const d = sets.get(key);
    if (!d || d.metadata?.deletionTimestamp) return;
    const ns = d.metadata?.namespace as string;
    const revision = templateHash(d.spec?.template);
    const owned = await claimObjects(
      ctx,
      R.pods,
      d,
      controllerRefTo(d, 'apps/v1', 'DaemonSet'),
      d.spec?.selector,
      pods.list(ns),
    );
    const wanted = nodes.list().filter(n => eligible(d, n));
    const wantedNames = new Set(wanted.map(n => n.metadata?.name as string));
    const byNode = new Map<string, Pod[]>();
    for (const p of owned.filter(isPodActive)) {
      const n = nodeOfPod(p) ?? '';
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    for (const n of wanted) {
      const name = n.metadata?.name as string;
      const here = byNode.get(name) ?? [];
      if (here.length === 0) {
        const pod = await rest.create(R.pods, ns, buildPod(d, name, revision));
        events.record(
          dsObj(d),
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${pod.metadata?.name}`,
        );
      } else {
        for (const extra of here.slice(1)) await remove(d, extra);
      }
    }
    for (const [node, ps] of byNode)
      if (!wantedNames.has(node)) for (const p of ps) await remove(d, p);
    // Failed daemon pods are replaced (the next sync recreates them).
    for (const p of owned)
      if (p.status?.phase === 'Failed' && !p.metadata?.deletionTimestamp)
        await remove(d, p);
    const active = owned.filter(isPodActive);
    if ((d.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const outdated = active.filter(
        p => p.metadata?.labels?.[REVISION_LABEL] !== revision,
      );
      const unavailable = active.filter(p => !isPodReady(p)).length;
      if (outdated.length && unavailable === 0) await remove(d, outdated[0]);
    }
    const scheduled = active.filter(p => wantedNames.has(nodeOfPod(p) ?? ''));
    const status = {
      desiredNumberScheduled: wanted.length,
      currentNumberScheduled: scheduled.length,
      numberMisscheduled: active.length - scheduled.length,
      numberReady: scheduled.filter(isPodReady).length,
      numberAvailable: scheduled.filter(p =>
        isPodAvailable(p, d.spec?.minReadySeconds ?? 0),
      ).length,
      updatedNumberScheduled: scheduled.filter(
        p => p.metadata?.labels?.[REVISION_LABEL] === revision,
      ).length,
      observedGeneration: d.metadata?.generation,
    };
    const numberUnavailable = Math.max(
      0,
      status.desiredNumberScheduled - status.numberAvailable,
    );
    const next = {
      ...status,
      numberUnavailable: numberUnavailable || undefined,
    };
    const cur = d.status ?? {
      desiredNumberScheduled: 0,
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      numberReady: 0,
    };
    if (
      (Object.keys(next) as Array<keyof typeof next>).every(
        k => (cur[k] ?? 0) === (next[k] ?? 0),
      )
    )
      return;
    await retryOnConflict(async () => {
      const fresh = await rest.get<DaemonSet>(
        R.daemonsets,
        ns,
        d.metadata?.name as string,
      );
      return rest.updateStatus(R.daemonsets, {
        ...fresh,
        status: { ...fresh.status, ...next },
      });
    });
  }

  const queue = ctx.queue('daemonset', sync);
  const owner = (p: Pod) => {
    const ref = controllerOf(p);
    if (ref?.kind === 'DaemonSet')
      queue.add(`${p.metadata?.namespace}/${ref.name}`);
  };
  const all = () => sets.list().forEach(d => queue.add(keyOf(d)));
  sets.addHandlers({
    add: d => queue.add(keyOf(d)),
    update: (_, d) => queue.add(keyOf(d)),
  });
  pods.addHandlers({ add: owner, update: (_, p) => owner(p), delete: owner });
  nodes.addHandlers({
    add: all,
    update: (a, b) => a !== b && all(),
    delete: all,
  });
  return { stop: async () => undefined };
}
