import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { retryOnConflict } from '../../client/conflict';
import { R } from '../kube/resources';
import { isAlreadyExists, isNotFound } from '../kube/rest';
import { keyOf, type CronJob, type Job } from '../kube/types';
import {
  checkTimeZone,
  missedTimes,
  nextAfter,
  parseCron,
  type CronSchedule,
} from '../../lib/cron';
import { controllerOf, controllerRefTo } from './pods';

const COMPONENT = 'cronjob-controller';
const SCHEDULED_AT = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

const jobFinished = (j: Job) =>
  j.status?.conditions?.find(
    c => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  )?.type;
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

/**
 * The CronJob controller (v2): creates a Job named `<cronjob>-<minutes since epoch>` for the most recent
 * missed schedule time, honouring suspend, startingDeadlineSeconds and concurrencyPolicy, tracks active
 * Jobs and lastScheduleTime/lastSuccessfulTime, and prunes finished Jobs beyond the history limits.
 */
export function startCronJobController(ctx: ControllerContext): Stoppable {
  const { rest } = ctx;
  const events = ctx.recorder(COMPONENT);
  const cronjobs = ctx.informers.get<CronJob>(R.cronjobs);
  const jobs = ctx.informers.get<Job>(R.jobs);
  const cjObj = (c: CronJob) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: c.metadata,
  });
  const parsed = new Map<string, CronSchedule>();

  function schedule(c: CronJob): CronSchedule | undefined {
    const expr = c.spec?.schedule ?? '';
    if (c.spec?.timeZone) {
      try {
        checkTimeZone(c.spec.timeZone);
      } catch {
        events.record(
          cjObj(c),
          'Warning',
          'UnknownTimeZone',
          `invalid timeZone: "${c.spec.timeZone}"`,
        );
        return undefined;
      }
    }
    let s = parsed.get(expr);
    if (!s) {
      try {
        s = parseCron(expr);
        parsed.set(expr, s);
      } catch (e) {
        events.record(
          cjObj(c),
          'Warning',
          'UnparseableSchedule',
          `unparseable schedule: "${expr}" : ${(e as Error).message}`,
        );
        return undefined;
      }
    }
    return s;
  }

  async function deleteJob(c: CronJob, j: Job): Promise<void> {
    try {
      await rest.delete(
        R.jobs,
        j.metadata?.namespace,
        j.metadata?.name as string,
        { uid: j.metadata?.uid, propagationPolicy: 'Background' },
      );
      events.record(
        cjObj(c),
        'Normal',
        'SuccessfulDelete',
        `Deleted job ${j.metadata?.name}`,
      );
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async function sync(key: string): Promise<number | undefined> {
    const c = cronjobs.get(key);
    if (!c || c.metadata?.deletionTimestamp) return undefined;
    const ns = c.metadata?.namespace as string;
    const owned = jobs
      .list(ns)
      .filter(j => controllerOf(j)?.uid === c.metadata?.uid);
    const tz = c.spec?.timeZone ?? 'UTC';
    let lastSuccessfulTime = c.status?.lastSuccessfulTime;
    for (const j of owned) {
      const done = jobFinished(j);
      const wasActive = c.status?.active?.some(a => a.uid === j.metadata?.uid);
      if (done && wasActive)
        events.record(
          cjObj(c),
          'Normal',
          'SawCompletedJob',
          `Saw completed job: ${j.metadata?.name}, status: ${done}`,
        );
      if (
        done === 'Complete' &&
        j.status?.completionTime &&
        (!lastSuccessfulTime || j.status.completionTime > lastSuccessfulTime)
      )
        lastSuccessfulTime = j.status.completionTime;
    }
    let active = owned.filter(
      j => !jobFinished(j) && !j.metadata?.deletionTimestamp,
    );
    let lastScheduleTime = c.status?.lastScheduleTime;
    let requeue: number | undefined;

    const sched = schedule(c);
    if (sched && !c.spec?.suspend) {
      const now = Date.now();
      const earliest = Date.parse(
        lastScheduleTime ??
          c.metadata?.creationTimestamp ??
          new Date(now).toISOString(),
      );
      const deadline = c.spec?.startingDeadlineSeconds;
      const from =
        deadline !== undefined && deadline !== null
          ? Math.max(earliest, now - deadline * 1000)
          : earliest;
      const times = missedTimes(sched, from, now, tz);
      if (times.length > 100)
        events.record(
          cjObj(c),
          'Warning',
          'TooManyMissedTimes',
          'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
        );
      const scheduled = times[times.length - 1];
      if (scheduled !== undefined) {
        const policy = c.spec?.concurrencyPolicy ?? 'Allow';
        if (policy === 'Forbid' && active.length) {
          events.record(
            cjObj(c),
            'Normal',
            'JobAlreadyActive',
            'Not starting job because prior execution is running and concurrency policy is Forbid',
          );
        } else {
          if (policy === 'Replace') {
            for (const j of active) await deleteJob(c, j);
            active = [];
          }
          const name = `${c.metadata?.name}-${Math.floor(scheduled / 60_000)}`;
          const tpl = c.spec?.jobTemplate;
          const job: Job = {
            metadata: {
              name,
              namespace: ns,
              labels: { ...tpl?.metadata?.labels },
              annotations: {
                ...tpl?.metadata?.annotations,
                [SCHEDULED_AT]: iso(scheduled),
              },
              ownerReferences: [controllerRefTo(c, 'batch/v1', 'CronJob')],
            },
            spec: structuredClone(tpl?.spec),
          };
          try {
            const created = await rest.create(R.jobs, ns, job);
            events.record(
              cjObj(c),
              'Normal',
              'SuccessfulCreate',
              `Created job ${name}`,
            );
            active.push(created);
          } catch (e) {
            if (!isAlreadyExists(e)) {
              events.record(
                cjObj(c),
                'Warning',
                'FailedCreate',
                `Error creating job: ${(e as Error).message}`,
              );
              throw e;
            }
          }
          lastScheduleTime = iso(scheduled);
        }
      }
      const next = nextAfter(sched, now, tz);
      if (next !== undefined) requeue = next - now + 100;
    }

    // History limits: the oldest finished Jobs beyond the limits go.
    const finishedOf = (type: string) =>
      owned
        .filter(j => jobFinished(j) === type && !j.metadata?.deletionTimestamp)
        .sort((a, b) =>
          (a.status?.startTime ?? '').localeCompare(b.status?.startTime ?? ''),
        );
    for (const [type, limit] of [
      ['Complete', c.spec?.successfulJobsHistoryLimit ?? 3],
      ['Failed', c.spec?.failedJobsHistoryLimit ?? 1],
    ] as const) {
      const list = finishedOf(type);
      for (const j of list.slice(0, Math.max(0, list.length - limit)))
        await deleteJob(c, j);
    }

    const activeRefs = active.map(j => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      namespace: ns,
      name: j.metadata?.name,
      uid: j.metadata?.uid,
      resourceVersion: j.metadata?.resourceVersion,
    }));
    const status = {
      active: activeRefs.length ? activeRefs : undefined,
      lastScheduleTime,
      lastSuccessfulTime,
    };
    const cur = c.status ?? {};
    const sameActive =
      JSON.stringify((cur.active ?? []).map(a => a.uid)) ===
      JSON.stringify(activeRefs.map(a => a.uid));
    if (
      !sameActive ||
      cur.lastScheduleTime !== lastScheduleTime ||
      cur.lastSuccessfulTime !== lastSuccessfulTime
    ) {
      await retryOnConflict(async () => {
        const live = await rest.get<CronJob>(
          R.cronjobs,
          ns,
          c.metadata?.name as string,
        );
        return rest.updateStatus(R.cronjobs, {
          ...live,
          status: { ...live.status, ...status },
        });
      });
    }
    return requeue;
  }

  const queue = ctx.queue('cronjob', sync);
  const owner = (j: Job) => {
    const ref = controllerOf(j);
    if (ref?.kind === 'CronJob')
      queue.add(`${j.metadata?.namespace}/${ref.name}`);
  };
  cronjobs.addHandlers({
    add: c => queue.add(keyOf(c)),
    update: (_, c) => queue.add(keyOf(c)),
  });
  jobs.addHandlers({ add: owner, update: (_, j) => owner(j), delete: owner });
  return { stop: async () => undefined };
}
