import type {
  V1ContainerStatus,
  V1Pod,
  V1PodCondition,
  V1PodStatus,
} from '@kubernetes/client-node';

/**
 * The kubelet's getPhase: init containers first, then the main containers' states under the restart
 * policy. `terminal` is set once the pod is shutting down for good (deleted), where nothing restarts.
 */
export function podPhase(
  pod: V1Pod,
  init: V1ContainerStatus[],
  main: V1ContainerStatus[],
  terminal: boolean,
): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  for (const s of init) {
    if (s.state?.running) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.lastState?.terminated) {
      if (s.lastState.terminated.exitCode !== 0) failedInit++;
    } else pendingInit++;
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of main) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (failedInit > 0 && (policy === 'Never' || terminal)) return 'Failed';
  if (pendingInit > 0 || failedInit > 0) return terminal ? 'Failed' : 'Pending';
  if (waiting > 0 && !terminal) return 'Pending';
  if (running > 0 && !terminal) return 'Running';
  if (stopped > 0 || terminal) {
    if (terminal)
      return stopped === succeeded && waiting === 0 && running === 0
        ? 'Succeeded'
        : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(
  type: string,
  ok: boolean,
  reason?: string,
  message?: string,
): V1PodCondition {
  const c: V1PodCondition = { type, status: ok ? 'True' : 'False' };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** Initialized, ContainersReady, Ready and PodScheduled as the kubelet's status generators produce them. */
export function podConditions(
  pod: V1Pod,
  phase: string,
  init: V1ContainerStatus[],
  main: V1ContainerStatus[],
): V1PodCondition[] {
  const incompleteInit = init
    .filter(s => s.state?.terminated?.exitCode !== 0)
    .map(s => s.name);
  const completed = phase === 'Succeeded' || phase === 'Failed';
  const initialized =
    incompleteInit.length === 0
      ? condition(
          'Initialized',
          true,
          completed && init.length ? 'PodCompleted' : undefined,
        )
      : condition(
          'Initialized',
          false,
          'ContainersNotInitialized',
          `containers with incomplete status: [${incompleteInit.join(' ')}]`,
        );
  const unready = main.filter(s => !s.ready).map(s => s.name);
  let containersReady: V1PodCondition;
  if (completed)
    containersReady = condition('ContainersReady', false, 'PodCompleted');
  else if (unready.length) {
    containersReady = condition(
      'ContainersReady',
      false,
      'ContainersNotReady',
      `containers with unready status: [${unready.join(' ')}]`,
    );
  } else containersReady = condition('ContainersReady', true);

  let ready: V1PodCondition = { ...containersReady, type: 'Ready' };
  if (ready.status === 'True') {
    // Readiness gates: every gated condition must be present and True in the pod's status.
    const missing: string[] = [];
    for (const g of pod.spec?.readinessGates ?? []) {
      const c = pod.status?.conditions?.find(x => x.type === g.conditionType);
      if (!c)
        missing.push(
          `corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`,
        );
      else if (c.status !== 'True')
        missing.push(
          `the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`,
        );
    }
    if (missing.length)
      ready = condition(
        'Ready',
        false,
        'ReadinessGatesNotReady',
        missing.join(', '),
      );
  }
  return [initialized, ready, containersReady, condition('PodScheduled', true)];
}

/** Keeps lastTransitionTime (and probe times) of conditions whose status did not change. */
export function withTransitionTimes(
  next: V1PodCondition[],
  prev: V1PodCondition[] | undefined,
  now: Date,
): V1PodCondition[] {
  return next.map(c => {
    const old = prev?.find(p => p.type === c.type);
    const ltt =
      old && old.status === c.status && old.lastTransitionTime
        ? old.lastTransitionTime
        : now;
    return {
      ...c,
      lastProbeTime: null as unknown as undefined,
      lastTransitionTime: ltt,
    };
  });
}

/** Guaranteed / Burstable / BestEffort from the containers' requests and limits. */
export function qosClass(pod: V1Pod): string {
  const all = [
    ...(pod.spec?.initContainers ?? []),
    ...(pod.spec?.containers ?? []),
  ];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (
        lim[r] === undefined ||
        (req[r] !== undefined && String(req[r]) !== String(lim[r]))
      )
        guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Other conditions (set by other writers, e.g. readiness gate controllers) the kubelet must keep. */
export function foreignConditions(pod: V1Pod): V1PodCondition[] {
  const ours = new Set([
    'Initialized',
    'Ready',
    'ContainersReady',
    'PodScheduled',
  ]);
  return (pod.status?.conditions ?? []).filter(c => !ours.has(c.type));
}

export type { V1PodStatus };
