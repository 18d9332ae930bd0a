import type { KubeConfig } from '@kubernetes/client-node';
import type {
  Plan,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { gatherFacts, type GatherOptions } from '../gather';
import { planTransfer } from '../plan';
import { runCopy } from './run';
import type { CopyOptions, CopyResult } from './types';

/** @public */
export class TransferRefusedError extends Error {
  constructor(readonly plan: Plan) {
    super(
      `transfer ${plan.transferId} refused: ${plan.refusals.map(r => `${r.code}: ${r.message}`).join('; ')}`,
    );
    this.name = 'TransferRefusedError';
  }
}

/**
 * Gathers facts, plans, and runs the copy when the plan allows it: one PVC, end to end.
 *
 * @public
 */
export async function planAndCopy(
  o: { spec: TransferSpec; source: KubeConfig; destination: KubeConfig } & Omit<
    CopyOptions,
    'plan' | 'sourcePodSpecs'
  > &
    Pick<
      GatherOptions,
      | 'ingressConfigured'
      | 'loadBalancerAvailable'
      | 'loadBalancerGraceMs'
      | 'moverResources'
    >,
): Promise<CopyResult & { plan: Plan }> {
  const facts = await gatherFacts(o);
  const plan = planTransfer(facts);
  if (!plan.allowed) throw new TransferRefusedError(plan);
  const result = await runCopy({
    ...o,
    plan,
    sourcePodSpecs: facts.sourceWorkloads.flatMap(w =>
      w.podSpec ? [w.podSpec] : [],
    ),
  });
  return { ...result, plan };
}
