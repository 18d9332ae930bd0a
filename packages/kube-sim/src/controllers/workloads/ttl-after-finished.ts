import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { R } from '../kube/resources';
import { ApiError, isNotFound } from '../kube/rest';
import { keyOf, type Job } from '../kube/types';

/** When a finished Job may go: its Complete/Failed condition time plus ttlSecondsAfterFinished. */
export function expiresAt(job: Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null) return undefined;
  const done = job.status?.conditions?.find(
    c => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  if (!done) return undefined;
  const at = Date.parse(
    done.lastTransitionTime ?? job.status?.completionTime ?? '',
  );
  return Number.isNaN(at) ? undefined : at + ttl * 1000;
}

/**
 * The TTL-after-finished controller: deletes a finished Job (and, in the foreground, its pods) once its
 * ttlSecondsAfterFinished has passed.
 */
export function startTtlAfterFinishedController(
  ctx: ControllerContext,
): Stoppable {
  const jobs = ctx.informers.get<Job>(R.jobs);

  async function sync(key: string): Promise<number | undefined> {
    const job = jobs.get(key);
    if (!job || job.metadata?.deletionTimestamp) return undefined;
    const at = expiresAt(job);
    if (at === undefined) return undefined;
    const wait = at - Date.now();
    if (wait > 0) return wait;
    try {
      await ctx.rest.delete(
        R.jobs,
        job.metadata?.namespace,
        job.metadata?.name as string,
        {
          uid: job.metadata?.uid,
          resourceVersion: job.metadata?.resourceVersion,
          propagationPolicy: 'Foreground',
        },
      );
    } catch (e) {
      // Gone already, or changed meanwhile (the TTL may have been extended): the next event decides again.
      if (!isNotFound(e) && !(e instanceof ApiError && e.code === 409)) throw e;
    }
    return undefined;
  }

  const queue = ctx.queue('ttl-after-finished', sync);
  jobs.addHandlers({
    add: j => queue.add(keyOf(j)),
    update: (_, j) => queue.add(keyOf(j)),
  });
  return { stop: async () => undefined };
}
