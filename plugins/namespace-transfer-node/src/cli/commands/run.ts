// the actions are imported when they run: see lazyAction
import { Command, Option } from 'commander';
import { addTransferFlags } from '../flags';
import { lazyAction } from './lazyAction';

const EXAMPLES = `
Examples:
  $ nstransfer run shop/data --source-context east --destination-context west
  $ nstransfer run shop/data --destination-namespace shop2 --intent clone --verify sample --verify-sample-ratio 0.2
  $ nstransfer run --all -n shop -n billing --source-context east --destination-context west --concurrency 3
  $ nstransfer run shop/data --destination-context west --stage-only --id shop-data   # while the app runs
  $ nstransfer run shop/data --destination-context west --cutover --id shop-data      # stop, final sync, verify
  $ nstransfer run shop/data --destination-context west --detach && nstransfer status --follow <id>
  $ nstransfer run shop/data --destination-context west --output json | jq -c 'select(.type=="result")'

Ctrl-C cancels: the engine rolls back (its pods, services, secrets and the new PVC go, stopped workloads
come back) and the CLI says what is left, if anything. A second Ctrl-C exits at once.`;

export function runCommand(): Command {
  const cmd = new Command('run')
    .description(
      'transfer one PVC, or every PVC of namespaces with --all, with progress',
    )
    .argument('[namespace/pvc]', 'the source PVC (or --all -n <namespace>)');
  addTransferFlags(cmd)
    .addOption(
      new Option(
        '-o, --output <format>',
        'text (bars on a terminal, lines otherwise) or json (one object per event)',
      )
        .choices(['text', 'json'])
        .default('text'),
    )
    .option(
      '--stage-only',
      'copy while the application keeps running and stop (repeatable); finish with --cutover',
    )
    .option(
      '--cutover',
      'continue a staged run (needs its --id): quiesce, final sync, verify, clean up',
    )
    .option(
      '--detach',
      'run in the background; follow with `nstransfer status --follow <id>`',
    )
    .option(
      '--state-dir <dir>',
      'where runs keep their state (default: $NSTRANSFER_STATE_DIR or ~/.nstransfer)',
    )
    .addHelpText('after', EXAMPLES)
    .action(lazyAction(async () => (await import('../actions/run')).runAction));
  return cmd;
}
