import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { retryOnConflict } from '../../client/conflict';
import { R } from '../kube/resources';
import { isNotFound } from '../kube/rest';
import {
  keyOf,
  nowIso,
  type Condition,
  type Job,
  type Pod,
} from '../kube/types';
import { Expectations, podHandlers } from './expectations';
import { claimObjects } from './ref-manager';
import {
  controllerOf,
  controllerRefTo,
  deletionOrder,
  isPodActive,
  isPodReady,
  podFromTemplate,
  setCondition,
} from './pods';

const COMPONENT = 'job-controller';
/** upstream's DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff */
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 360_000;

const finished = (j: Job) =>
  j.status?.conditions?.some(
    c => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  ) ?? false;

/**
 * The Job controller: runs up to `parallelism` pods until `completions` have succeeded (or, without
 * completions, until one has), counts failures against backoffLimit with exponential delay before
 * replacements, honours activeDeadlineSeconds and suspend, and ends with a Complete or Failed condition.
 */
export function startJobController(ctx: ControllerContext): Stoppable {
  const { rest } = ctx;
  const events = ctx.recorder(COMPONENT);
  const jobs = ctx.informers.get<Job>(R.jobs);
  const pods = ctx.informers.get<Pod>(R.pods);
  const expectations = new Expectations();
  const jobObj = (j: Job) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: j.metadata,
  });

  async function deletePods(j: Job, victims: Pod[]): Promise<void> {
    const key = keyOf(j);
    expectations.expect(
      key,
      0,
      victims.map(p => p.metadata?.name as string),
    );
    for (const p of victims) {
      try {
        await rest.delete(
          R.pods,
          p.metadata?.namespace,
          p.metadata?.name as string,
          { uid: p.metadata?.uid },
        );
        events.record(
          jobObj(j),
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${p.metadata?.name}`,
        );
      } catch (e) {
        if (isNotFound(e))
          expectations.observedDelete(key, p.metadata?.name as string);
        else throw e;
      }
    }
  }

  async function sync(key: string): Promise<number | undefined> {
    const j = jobs.get(key);
    if (!j) {
      expectations.forget(key);
      return undefined;
    }
    if (j.metadata?.deletionTimestamp || finished(j)) return undefined;
    const ns = j.metadata?.namespace as string;
    const owned = await claimObjects(
      ctx,
      R.pods,
      j,
      controllerRefTo(j, 'batch/v1', 'Job'),
      j.spec?.selector,
      pods.list(ns),
    );
    const active = owned.filter(isPodActive);
    const succeeded = owned.filter(p => p.status?.phase === 'Succeeded').length;
    const failedPods = owned.filter(p => p.status?.phase === 'Failed');
    const failed = failedPods.length;
    const completions = j.spec?.completions;
    const parallelism = j.spec?.parallelism ?? 1;
    const backoffLimit = j.spec?.backoffLimit ?? 6;
    const now = nowIso();
    const startTime =
      j.status?.startTime ?? (j.spec?.suspend ? undefined : now);
    let conditions = j.status?.conditions as Condition[] | undefined;
    let completionTime: string | undefined;
    let requeue: number | undefined;

    const complete =
      completions !== undefined && completions !== null
        ? succeeded >= completions
        : succeeded > 0 && active.length === 0;
    const deadline = j.spec?.activeDeadlineSeconds;
    const pastDeadline =
      deadline !== undefined &&
      startTime !== undefined &&
      Date.parse(startTime) + deadline * 1000 <= Date.now();
    if (complete) {
      await deletePods(j, active);
      conditions = setCondition(
        conditions,
        { type: 'Complete', status: 'True' },
        now,
      );
      completionTime = now;
      events.record(jobObj(j), 'Normal', 'Completed', 'Job completed');
    } else if (failed > backoffLimit || pastDeadline) {
      await deletePods(j, active);
      const reason = pastDeadline ? 'DeadlineExceeded' : 'BackoffLimitExceeded';
      const message = pastDeadline
        ? 'Job was active longer than specified deadline'
        : 'Job has reached the specified backoff limit';
      conditions = setCondition(
        conditions,
        { type: 'Failed', status: 'True', reason, message },
        now,
      );
      events.record(jobObj(j), 'Warning', reason, message);
    } else if (j.spec?.suspend) {
      await deletePods(j, active);
      conditions = setCondition(
        conditions,
        {
          type: 'Suspended',
          status: 'True',
          reason: 'JobSuspended',
          message: 'Job suspended',
        },
        now,
      );
    } else {
      if (conditions?.some(c => c.type === 'Suspended' && c.status === 'True'))
        conditions = setCondition(
          conditions,
          {
            type: 'Suspended',
            status: 'False',
            reason: 'JobResumed',
            message: 'Job resumed',
          },
          now,
        );
      if (expectations.satisfied(key)) {
        let remaining: number;
        if (completions !== undefined && completions !== null)
          remaining = completions - succeeded;
        else remaining = succeeded > 0 ? 0 : parallelism;
        const want = Math.max(0, Math.min(parallelism, remaining));
        const lastFailure = failedPods.reduce(
          (m, p) =>
            Math.max(
              m,
              Date.parse(
                p.status?.containerStatuses?.[0]?.state?.terminated
                  ?.finishedAt ??
                  p.metadata?.creationTimestamp ??
                  '0',
              ),
            ),
          0,
        );
        const backoff = failed
          ? Math.min(BACKOFF_BASE_MS * 2 ** (failed - 1), BACKOFF_MAX_MS)
          : 0;
        const wait = lastFailure + backoff - Date.now();
        if (active.length < want && wait > 0) requeue = wait;
        else if (active.length < want) {
          const n = want - active.length;
          expectations.expect(key, n);
          const ref = controllerRefTo(j, 'batch/v1', 'Job');
          const labels = {
            'batch.kubernetes.io/controller-uid': j.metadata?.uid as string,
            'batch.kubernetes.io/job-name': j.metadata?.name as string,
            'controller-uid': j.metadata?.uid as string,
            'job-name': j.metadata?.name as string,
          };
          for (let i = 0; i < n; i++) {
            try {
              const pod = await rest.create(
                R.pods,
                ns,
                podFromTemplate(
                  j.spec?.template,
                  ref,
                  ns,
                  { generateName: `${j.metadata?.name}-` },
                  labels,
                ),
              );
              events.record(
                jobObj(j),
                'Normal',
                'SuccessfulCreate',
                `Created pod: ${pod.metadata?.name}`,
              );
            } catch (e) {
              expectations.lowerAdds(key, n - i);
              events.record(
                jobObj(j),
                'Warning',
                'FailedCreate',
                `Error creating: ${(e as Error).message}`,
              );
              throw e;
            }
          }
        } else if (active.length > want) {
          await deletePods(
            j,
            [...active].sort(deletionOrder).slice(0, active.length - want),
          );
        }
      }
      if (deadline !== undefined && startTime)
        requeue = Math.min(
          requeue ?? Infinity,
          Math.max(0, Date.parse(startTime) + deadline * 1000 - Date.now()) +
            50,
        );
    }
    const stillActive =
      complete || failed > backoffLimit || pastDeadline || j.spec?.suspend
        ? 0
        : active.length;
    const status = {
      ...j.status,
      startTime,
      active: stillActive || undefined,
      succeeded: succeeded || undefined,
      failed: failed || undefined,
      ready: active.filter(isPodReady).length,
      conditions,
      ...(completionTime ? { completionTime } : {}),
    };
    if (JSON.stringify(status) !== JSON.stringify(j.status ?? {})) {
      await retryOnConflict(async () => {
        const live = await rest.get<Job>(
          R.jobs,
          ns,
          j.metadata?.name as string,
        );
        return rest.updateStatus(R.jobs, {
          ...live,
          status: { ...live.status, ...status },
        });
      });
    }
    return requeue;
  }

  const queue = ctx.queue('job', sync);
  const owner = (p: Pod) => {
    const ref = controllerOf(p);
    if (ref?.kind === 'Job') queue.add(`${p.metadata?.namespace}/${ref.name}`);
  };
  jobs.addHandlers({
    add: j => queue.add(keyOf(j)),
    update: (_, j) => queue.add(keyOf(j)),
    delete: j => queue.add(keyOf(j)),
  });
  pods.addHandlers(podHandlers('Job', expectations, owner));
  return { stop: async () => undefined };
}
