// What `nstransfer plan` does once its arguments are parsed; loaded only then (commands/plan.ts: its flags and help).

import { loadClusters } from '../clusters';
import { EXIT } from '../exitCodes';
import { planSpec } from '../execute';
import type { EngineFlags } from '../flags';
import { planTable } from '../output/planTable';
import { resolveTargets } from '../targets';

export const planAction = async (
  target: string | undefined,
  f: EngineFlags & { output: 'table' | 'json' },
) => {
  const clusters = loadClusters(f);
  const targets = await resolveTargets(f, target, clusters);
  const plans = [];
  for (const spec of targets.specs)
    plans.push((await planSpec(spec, clusters, f)).plan);
  const allowed = plans.filter(p => p.allowed).length;
  if (f.output === 'json') {
    process.stdout.write(
      `${JSON.stringify({ runId: targets.runId, allowed: allowed === plans.length, plans }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(planTable(plans));
  }
  if (allowed === plans.length) process.exitCode = EXIT.ok;
  else
    process.exitCode =
      allowed > 0 && targets.batch ? EXIT.partial : EXIT.failure;
};
