// The command line is built with commander, a well-kept CLI library (subcommands, help, option parsing).
import { Command } from 'commander';
import { cleanupCommand } from './commands/cleanup';
import { controllerCommand } from './commands/controller';
import { planCommand } from './commands/plan';
import { runCommand } from './commands/run';
import { statusCommand } from './commands/status';
import { EXIT_CODES_HELP } from './exitCodes';

const EXAMPLES = `
Examples:
  $ nstransfer plan shop/data --source-context east --destination-context west
  $ nstransfer run shop/data --source-context east --destination-context west
  $ nstransfer run --all -n shop -n billing --source-context east --destination-context west --output json
  $ nstransfer status --follow <id>
  $ nstransfer cleanup <id> --source-context east --destination-context west
${EXIT_CODES_HELP}`;

export function buildProgram(): Command {
  const program = new Command('nstransfer')
    .description(
      'move or copy the data of Kubernetes PVCs to another namespace or cluster (rebind or copy)',
    )
    .version('0.1.0')
    // set before the subcommands are added: they inherit it
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', EXAMPLES);
  for (const cmd of [
    planCommand(),
    runCommand(),
    statusCommand(),
    cleanupCommand(),
    controllerCommand(),
  ]) {
    cmd.addHelpText('after', EXIT_CODES_HELP);
    // addCommand (unlike .command()) does not pass the exit override and error hint down
    program.addCommand(cmd.copyInheritedSettings(program));
  }
  return program;
}
