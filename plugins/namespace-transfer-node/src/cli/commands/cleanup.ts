// the actions are imported when they run: see lazyAction
import { Command } from 'commander';
import { addClusterFlags } from '../flags';
import { lazyAction } from './lazyAction';

const EXAMPLES = `
Examples:
  $ nstransfer cleanup cli-1a2b3c4d --source-context east --destination-context west
  $ nstransfer cleanup cli-1a2b3c4d --dry-run
  $ nstransfer cleanup cli-1a2b3c4d --include-pvcs    # also the destination PVCs the transfer made

A batch run id covers every transfer of the batch (read from the state directory).`;

export function cleanupCommand(): Command {
  const cmd = new Command('cleanup')
    .description(
      'delete every object labelled with a transfer id in both clusters (pods, services, secrets, ...) and give back the workloads it scaled down, unless it finished a move',
    )
    .argument('<id>', 'a run id (single or batch) or a transfer id');
  addClusterFlags(cmd)
    .option(
      '--include-pvcs',
      'also delete PVCs labelled with the id (the destination of an unfinished transfer)',
    )
    .option('--dry-run', 'only list what would be deleted')
    .option(
      '--state-dir <dir>',
      'where runs keep their state (default: $NSTRANSFER_STATE_DIR or ~/.nstransfer)',
    )
    .addHelpText('after', EXAMPLES)
    .action(
      lazyAction(
        async () => (await import('../actions/cleanup')).cleanupAction,
      ),
    );
  return cmd;
}
