/**
 * A copy under way outlives an API server that goes away for a while (an upgrade, an HA failover): its
 * movers are pods and keep moving, so the engine waits for the cluster instead of giving up, and never
 * starts a rollback it could not finish. See clusters/policy for how the waiting is done.
 */
import { VersionApi, type KubeConfig } from '@kubernetes/client-node';
import {
  isClusterUnreachable,
  runningTransferPolicy,
  withRetry,
  type OutageEvent,
  type RetryPolicy,
} from '../clusters';
import type { CopyEvent } from './types';

/** The clusters a transfer runs on (each with the name it reports), its budget and where it reports. */
export interface TransferClusters {
  sides: ReadonlyArray<readonly [KubeConfig, string]>;
  outageBudgetMs?: number;
  onEvent?: (e: CopyEvent) => void;
}

/** A transfer's own policy (copy or rebind): its clusters named in what it reports, its budget. */
export function transferPolicy(o: TransferClusters): RetryPolicy {
  const clusters: Record<string, string> = {};
  for (const [kc, name] of o.sides) {
    const server = kc.getCurrentCluster()?.server;
    if (server) clusters[server] = name;
  }
  return runningTransferPolicy({
    budgetMs: o.outageBudgetMs,
    clusters,
    onOutage: e =>
      o.onEvent?.({ type: 'cluster', ...e, message: outageMessage(e) }),
  });
}

function outageMessage(e: OutageEvent): string {
  if (e.state === 'reachable')
    return `cluster ${e.cluster} answers again (it did not from ${e.since}); carrying on`;
  return `waiting for cluster ${e.cluster}: not answering since ${e.since} (${e.error}); the movers keep running`;
}

/**
 * Whether both clusters answer, waiting for them within the budget: a rollback that starts against a
 * cluster that is away would stop half-way and leave less than a resume can finish.
 */
export async function clustersAnswer(o: TransferClusters): Promise<boolean> {
  const seen = new Set<string>();
  for (const [kc] of o.sides) {
    const server = kc.getCurrentCluster()?.server ?? '';
    if (seen.has(server)) continue;
    seen.add(server);
    if (!(await answers(kc))) return false;
  }
  return true;
}

async function answers(kc: KubeConfig): Promise<boolean> {
  try {
    await withRetry(() => kc.makeApiClient(VersionApi).getCode());
    return true;
  } catch (e) {
    // any answer (even a refusal of /version) means the API server is there
    return !isClusterUnreachable(e);
  }
}

/** What a transfer that stopped for an unreachable cluster says about what it left. */
export function leftForResume(e: unknown): string {
  const why = isClusterUnreachable(e)
    ? `cluster ${e.cluster} did not answer within the outage budget`
    : 'a cluster did not answer, so a rollback could not be done safely';
  return `${why}: nothing was rolled back (the source and its workloads stay as the transfer left them); resume the transfer once the cluster answers`;
}
