import { Command, Option } from 'commander';
import { loadClusters } from '../clusters';
import { EXIT } from '../exitCodes';
import { planSpec } from '../execute';
import { addTransferFlags, type EngineFlags } from '../flags';
import { planTable } from '../output/planTable';
import { resolveTargets } from '../targets';

const EXAMPLES = `
Examples:
  $ nstransfer plan shop/data --source-context east --destination-context west
  $ nstransfer plan shop/data --destination-namespace shop2 --mode auto --output json
  $ nstransfer plan --all -n shop -n billing --source-context east --destination-context west \\
      --storage-class-map fast=standard

Plans are read-only: nothing is created. Exit code 0 when every transfer is allowed, 1 when refused,
3 when some of a batch are refused, 2 on bad usage.`;

export function planCommand(): Command {
  const cmd = new Command('plan')
    .description(
      'show what a transfer would do (mode and why, mover, endpoint, identity, estimates, refusals)',
    )
    .argument('[namespace/pvc]', 'the source PVC (or --all -n <namespace>)');
  addTransferFlags(cmd)
    .addOption(
      new Option('-o, --output <format>', 'table or json')
        .choices(['table', 'json'])
        .default('table'),
    )
    .addHelpText('after', EXAMPLES)
    .action(
      async (
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
      },
    );
  return cmd;
}
