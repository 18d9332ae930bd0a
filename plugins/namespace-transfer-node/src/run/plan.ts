import type { Plan } from '@namespace-transfer/plugin-namespace-transfer-common';
import { gatherFacts } from '../gather';
import { planTransfer, type PlanFacts } from '../plan';
import type { TransferPlanOptions } from './types';

/**
 * The plan a run would start with, from the clusters as they are now: reads, never writes (the backend's
 * dry run, the CLI's `plan`, and the first thing a run does).
 *
 * @public
 */
export async function planTransferRun(
  o: TransferPlanOptions,
): Promise<{ facts: PlanFacts; plan: Plan }> {
  const facts = await gatherFacts({
    spec: o.spec,
    source: o.source,
    destination: o.destination,
    ingressConfigured: o.ingressDomain !== undefined,
    // unset, not false: the destination's LoadBalancer Services then say whether it has one
    loadBalancerAvailable: o.loadBalancer ? true : undefined,
    moverResources: o.moverResources,
  });
  return { facts, plan: planTransfer(facts) };
}
