// the actions are imported when they run: see lazyAction
import { Command, Option } from 'commander';
import { lazyAction } from './lazyAction';

const EXAMPLES = `
Examples:
  $ nstransfer status                         # every run in the state directory
  $ nstransfer status cli-1a2b3c4d            # one run: phase and progress of each transfer
  $ nstransfer status --follow cli-1a2b3c4d   # watch a detached run to its end; exits with its exit code
  $ nstransfer status cli-1a2b3c4d --output json`;

export function statusCommand(): Command {
  return new Command('status')
    .description(
      'show runs from the state directory, or follow one (e.g. a detached run) to its end',
    )
    .argument(
      '[id]',
      'the run id (as printed by run); without it, every run is listed',
    )
    .option(
      '-f, --follow',
      "print the run's events as they come until it ends; exit with its exit code",
    )
    .addOption(
      new Option('-o, --output <format>', 'text or json')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option(
      '--state-dir <dir>',
      'where runs keep their state (default: $NSTRANSFER_STATE_DIR or ~/.nstransfer)',
    )
    .addHelpText('after', EXAMPLES)
    .action(
      lazyAction(async () => (await import('../actions/status')).statusAction),
    );
}
