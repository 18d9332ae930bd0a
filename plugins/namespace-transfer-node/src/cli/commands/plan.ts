// the actions are imported when they run: see lazyAction
import { Command, Option } from 'commander';
import { addTransferFlags } from '../flags';
import { lazyAction } from './lazyAction';

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
      lazyAction(async () => (await import('../actions/plan')).planAction),
    );
  return cmd;
}
