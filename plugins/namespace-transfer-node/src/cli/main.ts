/**
 * The `nstransfer` command line interface, the entry point its launchers (bin/) load.
 *
 * @packageDocumentation
 */

import { CommanderError } from 'commander';
import { EXIT, UsageError } from './exitCodes';
import { buildProgram } from './program';

/**
 * Runs the CLI; resolves to the exit code (errors are reported here, once, as one line).
 *
 * @public
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander printed the message and the hint; help and version are not errors
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version'
      )
        return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      const cmd = argv.slice(2).find(a => !a.startsWith('-'));
      process.stderr.write(
        `error: ${e.message}\n(add --help for usage${cmd ? `: nstransfer ${cmd} --help` : ''})\n`,
      );
      return EXIT.usage;
    }
    process.stderr.write(
      `error: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    return EXIT.failure;
  }
}

/**
 * Runs the CLI as the `nstransfer` process and exits with its code. Importing this module runs nothing: the
 * launchers call this, so the same module serves the sources in the repository and the built package.
 *
 * @public
 */
export function runCli(argv: string[] = process.argv): void {
  main(argv).then(
    code => {
      process.exitCode = code;
      // watches, keep-alive sockets and timers of the client must not keep a finished command alive
      setImmediate(() => process.exit(code));
    },
    e => {
      process.stderr.write(`${String(e)}\n`);
      process.exit(EXIT.failure);
    },
  );
}
