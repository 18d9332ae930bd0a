/** The arithmetic of a RollingUpdate (deployment/util upstream), kept pure for unit tests. */

/** An IntOrString percentage resolved against a total, rounding as upstream does for surge/unavailable. */
export function resolveIntOrPercent(
  v: number | string | undefined,
  total: number,
  roundUp: boolean,
  dflt: string,
): number {
  const value = v ?? dflt;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) {
    const n = Number(value);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid value for IntOrString: ${value}`);
  }
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** maxSurge and maxUnavailable; both zero would deadlock a rollout, so unavailable becomes 1 then. */
export function surgeAndUnavailable(
  replicas: number,
  maxSurge?: number | string,
  maxUnavailable?: number | string,
): { surge: number; unavailable: number } {
  const surge = resolveIntOrPercent(maxSurge, replicas, true, '25%');
  let unavailable = resolveIntOrPercent(maxUnavailable, replicas, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

export interface RsCounts {
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
}

/** How many replicas the new ReplicaSet should have now (NewRSNewReplicas upstream). */
export function newRsReplicas(
  desired: number,
  surge: number,
  newRs: RsCounts,
  all: RsCounts[],
): number {
  if (newRs.replicas > desired) return desired;
  const current = all.reduce((s, r) => s + r.replicas, 0);
  const maxTotal = desired + surge;
  if (current >= maxTotal) return newRs.replicas;
  return (
    newRs.replicas + Math.min(maxTotal - current, desired - newRs.replicas)
  );
}

/**
 * How many old replicas may go now (reconcileOldReplicaSets upstream): never below desired - maxUnavailable
 * available pods, counting the new set's not-yet-available pods as unavailable. Old sets' unhealthy pods
 * may always go first.
 */
export function oldScaleDownBudget(
  desired: number,
  unavailable: number,
  newRs: RsCounts,
  old: RsCounts[],
): { unhealthy: number; healthy: number } {
  const all = [newRs, ...old];
  const allPods = all.reduce((s, r) => s + r.replicas, 0);
  const minAvailable = desired - unavailable;
  const newUnavailable = Math.max(0, newRs.replicas - newRs.available);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return { unhealthy: 0, healthy: 0 };
  const oldUnhealthy = old.reduce(
    (s, r) => s + Math.max(0, r.replicas - r.available),
    0,
  );
  const unhealthy = Math.min(maxScaledDown, oldUnhealthy);
  const availableAll = all.reduce((s, r) => s + r.available, 0);
  const healthy = Math.max(
    0,
    Math.min(maxScaledDown - unhealthy, availableAll - minAvailable),
  );
  return { unhealthy, healthy };
}
