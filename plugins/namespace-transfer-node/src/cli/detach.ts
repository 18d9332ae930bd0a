import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `run --detach`: the engine is a library that runs inside the CLI's process, so "in the background"
 * means a new CLI process, in its own session (it survives the terminal), running the same command
 * without --detach. It writes its records and checkpoints to the state file that `status` reads, and its
 * own output to `<run id>.log` beside it. The detaching process writes the run's start record (with the
 * new pid), so `status --follow` right after `run --detach` finds the run.
 */
export function detach(
  runId: string,
  dir: string,
  hasId: boolean,
): { pid: number; log: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const log = join(dir, `${runId}.log`);
  const fd = openSync(log, 'a', 0o600);
  const args = process.argv.slice(2).filter(a => a !== '--detach');
  if (!hasId) args.push('--id', runId);
  const child = spawn(
    process.execPath,
    [...process.execArgv, process.argv[1], ...args],
    {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: {
        ...process.env,
        NSTRANSFER_STATE_DIR: dir,
        NSTRANSFER_DETACHED_START: runId,
      },
    },
  );
  closeSync(fd);
  child.unref();
  if (!child.pid) throw new Error('could not start the background process');
  return { pid: child.pid, log };
}
