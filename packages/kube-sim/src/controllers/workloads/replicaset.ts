import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { retryOnConflict } from '../../client/conflict';
import { R } from '../kube/resources';
import { isNotFound } from '../kube/rest';
import { matchesSelector } from '../../lib/selectors';
import { keyOf, type Pod, type ReplicaSet } from '../kube/types';
import { Expectations, podHandlers } from './expectations';
import { claimObjects } from './ref-manager';
import {
  controllerOf,
  controllerRefTo,
  deletionOrder,
  isPodActive,
  isPodAvailable,
  isPodReady,
  podFromTemplate,
} from './pods';

const COMPONENT = 'replicaset-controller';
/** upstream creates pods in slow-start batches; a burst limit keeps one reconcile bounded */
const BURST = 100;

/** The ReplicaSet controller: keeps spec.replicas active pods and reports them in status. */
export function startReplicaSetController(ctx: ControllerContext): Stoppable {
  const { rest } = ctx;
  const events = ctx.recorder(COMPONENT);
  const sets = ctx.informers.get<ReplicaSet>(R.replicasets);
  const pods = ctx.informers.get<Pod>(R.pods);
  const expectations = new Expectations();

  async function sync(key: string): Promise<number | undefined> {
    const rs = sets.get(key);
    if (!rs) {
      expectations.forget(key);
      return undefined;
    }
    const ns = rs.metadata?.namespace as string;
    const owned = await claimObjects(
      ctx,
      R.pods,
      rs,
      controllerRefTo(rs, 'apps/v1', 'ReplicaSet'),
      rs.spec?.selector,
      pods.list(ns),
    );
    const active = owned.filter(isPodActive);
    if (expectations.satisfied(key) && !rs.metadata?.deletionTimestamp) {
      const want = rs.spec?.replicas ?? 1;
      const diff = active.length - want;
      if (diff < 0) {
        const n = Math.min(-diff, BURST);
        expectations.expect(key, n);
        const ref = controllerRefTo(rs, 'apps/v1', 'ReplicaSet');
        await Promise.all(
          Array.from({ length: n }, async () => {
            try {
              const pod = await rest.create(
                R.pods,
                ns,
                podFromTemplate(rs.spec?.template, ref, ns, {
                  generateName: `${rs.metadata?.name}-`,
                }),
              );
              events.record(
                rsObj(rs),
                'Normal',
                'SuccessfulCreate',
                `Created pod: ${pod.metadata?.name}`,
              );
            } catch (e) {
              expectations.lowerAdds(key);
              events.record(
                rsObj(rs),
                'Warning',
                'FailedCreate',
                `Error creating: ${(e as Error).message}`,
              );
              throw e;
            }
          }),
        );
      } else if (diff > 0) {
        const victims = [...active].sort(deletionOrder).slice(0, diff);
        expectations.expect(
          key,
          0,
          victims.map(p => p.metadata?.name as string),
        );
        await Promise.all(
          victims.map(async p => {
            try {
              await rest.delete(R.pods, ns, p.metadata?.name as string, {
                uid: p.metadata?.uid,
              });
              events.record(
                rsObj(rs),
                'Normal',
                'SuccessfulDelete',
                `Deleted pod: ${p.metadata?.name}`,
              );
            } catch (e) {
              if (isNotFound(e))
                expectations.observedDelete(key, p.metadata?.name as string);
              else throw e;
            }
          }),
        );
      }
    }
    return updateStatus(rs, owned);
  }

  async function updateStatus(
    rs: ReplicaSet,
    owned: Pod[],
  ): Promise<number | undefined> {
    const active = owned.filter(isPodActive);
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const selectorLabels = rs.spec?.template?.metadata?.labels ?? {};
    const status = {
      replicas: active.length,
      fullyLabeledReplicas: active.filter(p =>
        Object.entries(selectorLabels).every(
          ([k, v]) => p.metadata?.labels?.[k] === v,
        ),
      ).length,
      readyReplicas: active.filter(isPodReady).length,
      availableReplicas: active.filter(p => isPodAvailable(p, minReady)).length,
      observedGeneration: rs.metadata?.generation,
    };
    const cur: NonNullable<ReplicaSet['status']> = rs.status ?? { replicas: 0 };
    const same =
      cur.replicas === status.replicas &&
      (cur.fullyLabeledReplicas ?? 0) === status.fullyLabeledReplicas &&
      (cur.readyReplicas ?? 0) === status.readyReplicas &&
      (cur.availableReplicas ?? 0) === status.availableReplicas &&
      cur.observedGeneration === status.observedGeneration;
    if (!same) {
      await retryOnConflict(async () => {
        const live = await rest.get<ReplicaSet>(
          R.replicasets,
          rs.metadata?.namespace,
          rs.metadata?.name as string,
        );
        return rest.updateStatus(R.replicasets, {
          ...live,
          status: { ...live.status, ...status },
        });
      });
    }
    // Ready but not yet available pods become available later without any event: look again then.
    if (minReady > 0 && status.readyReplicas > status.availableReplicas)
      return minReady * 1000;
    return undefined;
  }

  const queue = ctx.queue('replicaset', sync);
  const enqueueOwner = (p: Pod) => {
    const ref = controllerOf(p);
    if (ref?.kind === 'ReplicaSet')
      queue.add(`${p.metadata?.namespace}/${ref.name}`);
    // An orphan may be adopted by any set whose selector matches it.
    if (!ref)
      for (const rs of sets.list(p.metadata?.namespace))
        if (matchesSelector(rs.spec?.selector, p.metadata?.labels))
          queue.add(keyOf(rs));
  };
  sets.addHandlers({
    add: o => queue.add(keyOf(o)),
    update: (_, o) => queue.add(keyOf(o)),
    delete: o => queue.add(keyOf(o)),
  });
  pods.addHandlers(podHandlers('ReplicaSet', expectations, enqueueOwner));
  return { stop: async () => undefined };
}

function rsObj(rs: ReplicaSet) {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: rs.metadata };
}
