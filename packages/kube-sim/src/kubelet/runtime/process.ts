import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { CriLogWriter } from '../logs/criLog';

export interface ExitInfo {
  exitCode: number;
  signal?: NodeJS.Signals;
  finishedAt: Date;
}

export interface ContainerProcess {
  pid: number;
  startedAt: Date;
  exited: Promise<ExitInfo>;
  /** signals the whole process group, so a shell's children go too */
  kill(signal: NodeJS.Signals): void;
  running(): boolean;
}

/** Every live container process group, killed synchronously when the kubelet's own process exits. */
const liveGroups = new Set<number>();
let exitHandlerInstalled = false;

function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', () => {
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/**
 * Starts `argv` as the leader of a new process group with stdout and stderr written to a CRI log file.
 * The exit code follows the container runtime convention: 128 + signal number when killed by a signal.
 */
export function startProcess(
  argv: string[],
  env: Record<string, string>,
  logFile: string,
): ContainerProcess {
  installExitHandler();
  const log = new CriLogWriter(logFile);
  const child = spawn(argv[0], argv.slice(1), {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  let alive = pid !== undefined;
  if (pid !== undefined) liveGroups.add(pid);
  child.stdout!.on('data', (b: Buffer) => log.write('stdout', b));
  child.stderr!.on('data', (b: Buffer) => log.write('stderr', b));

  const exited = new Promise<ExitInfo>(resolve => {
    let spawnError: Error | undefined;
    child.on('error', err => {
      spawnError = err;
    });
    let status: { code: number | null; signal: NodeJS.Signals | null } = {
      code: null,
      signal: null,
    };
    child.on('exit', (code, signal) => {
      status = { code, signal };
      alive = false;
      if (pid !== undefined) {
        liveGroups.delete(pid);
        // When the container's main process ends, the rest of its group goes too (as with a PID
        // namespace whose init exits): no orphans, and the pipes close so the log completes.
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // group already empty
        }
      }
    });
    child.on('close', async () => {
      alive = false;
      if (spawnError)
        log.write('stderr', Buffer.from(`${spawnError.message}\n`));
      await log.close();
      const { code, signal } = status;
      const exitCode = signal
        ? 128 + (constants.signals[signal] ?? 0)
        : (code ?? 128);
      resolve({
        exitCode,
        signal: signal ?? undefined,
        finishedAt: new Date(),
      });
    });
  });

  return {
    pid: pid ?? -1,
    startedAt: new Date(),
    exited,
    running: () => alive,
    kill(signal) {
      if (!alive || pid === undefined) return;
      try {
        process.kill(-pid, signal);
      } catch {
        // raced with the exit
      }
    },
  };
}
