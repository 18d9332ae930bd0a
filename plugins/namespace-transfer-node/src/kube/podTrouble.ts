import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';

/**
 * Waiting reasons after which a container will not start without someone changing something: the image
 * name, the pod's configuration or the image's contents. A registry that is away for a while gives
 * ErrImagePull first and ImagePullBackOff only once a pull has failed, so a single failed pull is
 * waited out.
 */
const HOPELESS_WAITING = new Set([
  'InvalidImageName',
  'ErrImageNeverPull',
  'ImagePullBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
]);

/** a container that crashed this often while starting keeps crashing: its log says why */
const CRASHES_BEFORE_GIVING_UP = 2;

function trouble(c: V1ContainerStatus): string | undefined {
  const waiting = c.state?.waiting;
  if (waiting?.reason && HOPELESS_WAITING.has(waiting.reason))
    return `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
  if (
    waiting?.reason === 'CrashLoopBackOff' &&
    c.restartCount >= CRASHES_BEFORE_GIVING_UP
  ) {
    const last = c.lastState?.terminated;
    const why = last
      ? `exit code ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}${last.message ? `: ${last.message}` : ''}`
      : (waiting.message ?? '');
    return `keeps crashing after ${c.restartCount} restarts, last ${why}`;
  }
  // the runtime could not run the command at all (not in the image, not executable): restarts won't help
  const ended = c.state?.terminated ?? c.lastState?.terminated;
  if (ended?.reason === 'StartError' || ended?.reason === 'ContainerCannotRun')
    return `${ended.reason}${ended.message ? `: ${ended.message}` : ''}`;
  return undefined;
}

/**
 * Why a pod's containers will not start (a wrong or unpullable image, a command its image lacks, a
 * configuration the runtime refuses, a crash loop), or undefined while they may still. A waiter that
 * would otherwise sit out its whole timeout fails at once with the cluster's own words.
 */
export function podStartTrouble(pod: V1Pod): string | undefined {
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  const found = statuses.flatMap(c => {
    const t = trouble(c);
    return t ? [`container ${c.name}: ${t}`] : [];
  });
  return found.length ? found.join('; ') : undefined;
}
